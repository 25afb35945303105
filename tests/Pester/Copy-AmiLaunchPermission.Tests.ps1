# Copy-AmiLaunchPermission against the emulator's demo world (see TestHelpers.psm1).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $ProgressPreference = 'SilentlyContinue'   # the cmdlets' progress is not what these tests check
    Set-AmiShareTestEnvironment
    Import-AmiShareModule
    $script:Demo = Get-AmiShareDemo
    $script:Endpoint = (Start-AmiShareEmulator).EndpointUrl
    $script:Id = 'AmiShare.Commands.CopyAmiLaunchPermissionCommand'
}

AfterAll {
    Stop-AmiShareEmulator
    Restore-AmiShareTestEnvironment
}

Describe 'Copy-AmiLaunchPermission' -Tag CI {
    BeforeEach {
        Reset-AmiShareEmulator
        Grant-AmiLaunchPermission $Demo.Unencrypted -AccountId 111122223333 -OrganizationalUnitArn $Demo.EngineeringOuArn -EndpointUrl $Endpoint
        Grant-AmiLaunchPermission $Demo.TwoSnapshots -AccountId 444455556666 -EndpointUrl $Endpoint
        Clear-AmiShareEmulatorLog
    }

    It 'makes targets in two regions match the source in one command, reading the source once' {
        $targets = @(
            [pscustomobject]@{ ImageId = $Demo.TwoSnapshots; Region = 'us-east-1' }
            [pscustomobject]@{ ImageId = $Demo.EuWest; Region = 'eu-west-1' }
        )

        $rows = @($targets | Copy-AmiLaunchPermission -SourceImageId $Demo.Unencrypted -Force -PassThru -EndpointUrl $Endpoint -WarningAction SilentlyContinue -WarningVariable warned)

        $log = Get-AmiShareEmulatorLog
        @($log.Entries | Where-Object action -EQ 'ModifyImageAttribute').Count | Should -Be 2
        @($log.Entries | Where-Object { $_.action -eq 'DescribeImageAttribute' -and $_.region -eq 'us-east-1' }).Count | Should -Be 2   # the source once, the us-east-1 target once
        # 444455556666 (in the Platform OU, under Engineering) loses its own permission but keeps access through the OU: warned.
        @($warned | Where-Object { "$_" -match '444455556666 loses its own launch permission .* keeps launch access .* leave the OU out of the set' }).Count | Should -Be 1
        $rows.Count | Should -Be 2
        @($rows.Region | Sort-Object) | Should -Be @('eu-west-1', 'us-east-1')
        $expected = @('111122223333', $Demo.EngineeringOuArn) | Sort-Object
        @(Get-Principal $Demo.TwoSnapshots | Sort-Object) | Should -Be $expected
        @(Get-Principal $Demo.EuWest -Region eu-west-1 | Sort-Object) | Should -Be $expected

        Clear-AmiShareEmulatorLog
        $targets | Copy-AmiLaunchPermission -SourceImageId $Demo.Unencrypted -Force -EndpointUrl $Endpoint -WarningAction SilentlyContinue
        Get-AmiShareEmulatorWrite | Should -BeNullOrEmpty
    }

    It '-WhatIf shows the plan and writes nothing' {
        $run = Invoke-CapturingHost Copy-AmiLaunchPermission @{ SourceImageId = $Demo.Unencrypted; ImageId = $Demo.TwoSnapshots; WhatIf = $true; EndpointUrl = $Endpoint }

        ($run.HostLines -join "`n") | Should -Match 'remove: 444455556666\)'
        Get-AmiShareEmulatorWrite | Should -BeNullOrEmpty
    }

    It 'refuses the source as a target and goes on with the others' {
        Copy-AmiLaunchPermission -SourceImageId $Demo.Unencrypted -ImageId $Demo.Unencrypted, $Demo.TwoSnapshots -Force -EndpointUrl $Endpoint -ErrorAction SilentlyContinue -ErrorVariable refused -WarningAction SilentlyContinue

        @($refused).Count | Should -Be 1
        $refused[0].FullyQualifiedErrorId | Should -Be "SourceIsTarget,$Id"
        @(Get-Principal $Demo.TwoSnapshots | Sort-Object) | Should -Be (@('111122223333', $Demo.EngineeringOuArn) | Sort-Object)
    }

    It 'reads the source in -SourceRegion' {
        Grant-AmiLaunchPermission $Demo.EuWest -Region eu-west-1 -AccountId 555566667777 -EndpointUrl $Endpoint

        Copy-AmiLaunchPermission -SourceImageId $Demo.EuWest -SourceRegion eu-west-1 -ImageId $Demo.TwoSnapshots -Force -EndpointUrl $Endpoint

        @(Get-Principal $Demo.TwoSnapshots) | Should -Be @('555566667777')
    }
}
