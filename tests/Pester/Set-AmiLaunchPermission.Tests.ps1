# Set-AmiLaunchPermission against the emulator's demo world (see TestHelpers.psm1).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $ProgressPreference = 'SilentlyContinue'   # the cmdlets' progress is not what these tests check
    Set-AmiShareTestEnvironment
    Import-AmiShareModule
    $script:Demo = Get-AmiShareDemo
    $script:Endpoint = (Start-AmiShareEmulator).EndpointUrl
    $script:Id = 'AmiShare.Commands.SetAmiLaunchPermissionCommand'

    function Get-ModifyCall {
        <# The ModifyImageAttribute calls in the request log. #>
        @((Get-AmiShareEmulatorLog).Entries | Where-Object action -EQ 'ModifyImageAttribute')
    }
}

AfterAll {
    Stop-AmiShareEmulator
    Restore-AmiShareTestEnvironment
}

Describe 'Set-AmiLaunchPermission' -Tag CI {
    BeforeEach { Reset-AmiShareEmulator }

    Context 'from parameters' {
        It 'makes the set exactly the given principals in one write, and none when repeated' {
            Grant-AmiLaunchPermission $Demo.Unencrypted -AccountId 444455556666 -EndpointUrl $Endpoint
            Clear-AmiShareEmulatorLog

            $r = Set-AmiLaunchPermission $Demo.Unencrypted -AccountId 111122223333 -OrganizationalUnitArn $Demo.EngineeringOuArn -Force -PassThru -EndpointUrl $Endpoint -WarningAction SilentlyContinue -WarningVariable warned

            @(Get-ModifyCall).Count | Should -Be 1
            # 444455556666 (Platform OU, under Engineering) loses its own permission but keeps access through the OU added: warned, with the set's fix.
            @($warned | Where-Object { "$_" -match '444455556666 loses its own launch permission .* keeps launch access .* leave the OU out of the set' }).Count | Should -Be 1
            $r.Operation | Should -Be 'Set'
            @($r.Added) | Should -Be @('111122223333', $Demo.EngineeringOuArn)
            @($r.Removed) | Should -Be @('444455556666')
            @(Get-Principal $Demo.Unencrypted | Sort-Object) | Should -Be @('111122223333', $Demo.EngineeringOuArn)

            Clear-AmiShareEmulatorLog
            $again = Set-AmiLaunchPermission $Demo.Unencrypted -Principal $Demo.EngineeringOuArn, 111122223333 -Force -PassThru -EndpointUrl $Endpoint
            $again.Changed | Should -BeFalse
            Get-AmiShareEmulatorWrite | Should -BeNullOrEmpty
        }

        It '-WhatIf shows the adds and removes and writes nothing' {
            Grant-AmiLaunchPermission $Demo.Unencrypted -AccountId 444455556666 -EndpointUrl $Endpoint
            Clear-AmiShareEmulatorLog

            $run = Invoke-CapturingHost Set-AmiLaunchPermission @{ ImageId = $Demo.Unencrypted; AccountId = '111122223333'; WhatIf = $true; EndpointUrl = $Endpoint }

            ($run.HostLines -join "`n") | Should -Match 'Set launch permissions to 111122223333 \(add: 111122223333; remove: 444455556666\)'
            Get-AmiShareEmulatorWrite | Should -BeNullOrEmpty
        }

        It 'refuses to make a public AMI private without -Public:$false, and does it with it' {
            Set-AmiPublic $Demo.Unencrypted -Force -WarningAction SilentlyContinue -EndpointUrl $Endpoint
            Clear-AmiShareEmulatorLog

            Set-AmiLaunchPermission $Demo.Unencrypted -AccountId 111122223333 -Force -EndpointUrl $Endpoint -ErrorAction SilentlyContinue -ErrorVariable refused
            $refused[0].FullyQualifiedErrorId | Should -Be "PublicRemovalNotConfirmed,$Id"
            $refused[0].ErrorDetails.RecommendedAction | Should -Match '-Public:\$false'
            Get-AmiShareEmulatorWrite | Should -BeNullOrEmpty

            Set-AmiLaunchPermission $Demo.Unencrypted -AccountId 111122223333 -Public:$false -Force -EndpointUrl $Endpoint
            @(Get-Principal $Demo.Unencrypted) | Should -Be @('111122223333')
            @(Get-ModifyCall).Count | Should -Be 1
        }

        It '-Public on an encrypted AMI fails the public check before any write' {
            Set-AmiLaunchPermission $Demo.CmkEncrypted -AccountId 111122223333 -Public -Force -EndpointUrl $Endpoint -ErrorAction SilentlyContinue -ErrorVariable refused
            $refused[0].FullyQualifiedErrorId | Should -Be "EncryptedSnapshotsCannotBePublic,$Id"
            Get-AmiShareEmulatorWrite | Should -BeNullOrEmpty
        }
    }

    Context 'from a manifest' {
        It 'applies a .psd1 manifest with an id and a name pattern, then writes nothing on a rerun' {
            Grant-AmiLaunchPermission $Demo.TwoSnapshots -AccountId 111122223333 -EndpointUrl $Endpoint
            $path = Join-Path $TestDrive 'golden.psd1'
            Set-Content -LiteralPath $path -Value @"
@{
    Images = @(
        @{ ImageId = '$($Demo.Unencrypted)'; Principals = @('111122223333', '$($Demo.EngineeringOuArn)') }
        @{ Name = 'build-agent-*'; Principals = @('444455556666'); Public = `$false }
    )
}
"@
            Clear-AmiShareEmulatorLog

            $rows = @(Set-AmiLaunchPermission -ManifestPath $path -Force -PassThru -EndpointUrl $Endpoint)

            $rows.Count | Should -Be 2
            @(Get-ModifyCall).Count | Should -Be 2
            @(Get-Principal $Demo.TwoSnapshots) | Should -Be @('444455556666')
            @(Get-Principal $Demo.Unencrypted | Sort-Object) | Should -Be @('111122223333', $Demo.EngineeringOuArn)

            Clear-AmiShareEmulatorLog
            Set-AmiLaunchPermission -ManifestPath $path -Force -EndpointUrl $Endpoint
            Get-AmiShareEmulatorWrite | Should -BeNullOrEmpty
        }

        It 'applies a .json manifest' {
            $path = Join-Path $TestDrive 'golden.json'
            Set-Content -LiteralPath $path -Value (@{ Images = @(@{ ImageId = $Demo.Unencrypted; Principals = @('111122223333') }) } | ConvertTo-Json -Depth 5)

            Set-AmiLaunchPermission -ManifestPath $path -Force -EndpointUrl $Endpoint

            @(Get-Principal $Demo.Unencrypted) | Should -Be @('111122223333')
        }

        It 'refuses a bad manifest before any AWS call, naming the file, the entry and the value' {
            $path = Join-Path $TestDrive 'bad.psd1'
            Set-Content -LiteralPath $path -Value "@{ Images = @( @{ ImageId = '$($Demo.Unencrypted)'; Principals = @('1111') ; Publik = `$true } ) }"
            Clear-AmiShareEmulatorLog

            { Set-AmiLaunchPermission -ManifestPath $path -Force -EndpointUrl $Endpoint -ErrorAction Stop } | Should -Throw -ErrorId "InvalidManifest,$Id"
            try { Set-AmiLaunchPermission -ManifestPath $path -Force -EndpointUrl $Endpoint -ErrorAction Stop } catch { $message = $_.Exception.Message }
            $message | Should -Match ([regex]::Escape($path))
            $message | Should -Match "entry 1: unknown key 'Publik'"
            $message | Should -Match "Principals value '1111'"
            (Get-AmiShareEmulatorLog).Total | Should -Be 0
        }

        It 'runs nothing that is in a .psd1 manifest' {
            $marker = Join-Path $TestDrive 'ran.txt'
            $path = Join-Path $TestDrive 'code.psd1'
            Set-Content -LiteralPath $path -Value "@{ Images = @( @{ ImageId = `"`$(New-Item -ItemType File -Path '$marker')`"; Principals = @() } ) }"

            { Set-AmiLaunchPermission -ManifestPath $path -Force -EndpointUrl $Endpoint -ErrorAction Stop } | Should -Throw -ErrorId "InvalidManifest,$Id"
            Test-Path -LiteralPath $marker | Should -BeFalse
        }
    }
}

Describe 'Set-AmiLaunchPermission -CheckUsage' -Tag CI {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'UsageWorld.psm1') -Force
        $script:UsageEndpoint = Start-AmiShareUsageEmulator -Usage @(New-AmiShareUsage -Account 999988887777 -ImageId $Demo.Unencrypted)
    }

    AfterAll {
        $script:Endpoint = (Start-AmiShareEmulator).EndpointUrl
    }

    BeforeEach {
        Reset-AmiShareEmulator
        Grant-AmiLaunchPermission $Demo.Unencrypted -AccountId 999988887777 -EndpointUrl $UsageEndpoint
        Clear-AmiShareEmulatorLog
    }

    It 'refuses a set that leaves out an account with a running instance; -Force makes it' {
        Set-AmiLaunchPermission $Demo.Unencrypted -AccountId 111122223333 -CheckUsage -Confirm:$false -EndpointUrl $UsageEndpoint -ErrorVariable err -ErrorAction SilentlyContinue

        $err[0].FullyQualifiedErrorId | Should -BeExactly "AmiInUse,$Id"
        "$err" | Should -Match "999988887777 has 1 instance and 0 launch templates using $($Demo.Unencrypted)"
        Get-AmiShareEmulatorWrite | Should -BeNullOrEmpty

        Set-AmiLaunchPermission $Demo.Unencrypted -AccountId 111122223333 -CheckUsage -Force -EndpointUrl $UsageEndpoint -WarningAction SilentlyContinue
        Get-Principal $Demo.Unencrypted | Should -Be @('111122223333')
    }
}
