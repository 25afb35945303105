# Get-AmiSharedWithMe against the emulator's demo world (see TestHelpers.psm1), as the member account 111122223333
# (Engineering OU) with its own access key; the owner 123456789012 shares with the environment's credentials.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $ProgressPreference = 'SilentlyContinue'   # the cmdlets' progress is not what these tests check
    Set-AmiShareTestEnvironment
    Import-AmiShareModule
    $script:Demo = Get-AmiShareDemo
    $script:Endpoint = (Start-AmiShareEmulator).EndpointUrl
    $script:AsConsumer = @{ AccessKey = 'AKIAAMISHARECONSUMER1'; SecretKey = 'consumer-secret'; EndpointUrl = $Endpoint }
}

AfterAll {
    Stop-AmiShareEmulator
    Restore-AmiShareTestEnvironment
}

Describe 'Get-AmiSharedWithMe' -Tag CI {
    BeforeEach { Reset-AmiShareEmulator }

    It 'lists an AMI shared with the member account directly, with its owner and Via' {
        Grant-AmiLaunchPermission $Demo.Unencrypted -AccountId $Demo.ConsumerAccount -EndpointUrl $Endpoint
        $row = Get-AmiSharedWithMe @AsConsumer | Where-Object ImageId -EQ $Demo.Unencrypted
        $row.PSObject.TypeNames | Should -Contain 'AmiShare.AmiSharedImage'
        $row.OwnerId | Should -Be $Demo.OwnerAccount
        $row.Via | Should -Be 'DirectOrOrganization'
        $row.Region | Should -Be 'us-east-1'
        $row.Encrypted | Should -BeFalse
        $row.CanUseKey | Should -BeNullOrEmpty
    }

    It 'lists an AMI shared with its OU, and not one shared with another OU' {
        Grant-AmiLaunchPermission $Demo.Unencrypted -OrganizationalUnitArn $Demo.EngineeringOuArn -EndpointUrl $Endpoint
        Grant-AmiLaunchPermission $Demo.TwoSnapshots -OrganizationalUnitArn $Demo.FinanceOuArn -EndpointUrl $Endpoint
        $ids = @(Get-AmiSharedWithMe @AsConsumer | ForEach-Object ImageId)
        $ids | Should -Contain $Demo.Unencrypted
        $ids | Should -Not -Contain $Demo.TwoSnapshots
    }

    It 'lists public AMIs only with -IncludePublic, as Via Public, and never the caller''s own' {
        Set-AmiPublic $Demo.Unencrypted -Force -EndpointUrl $Endpoint -WarningAction SilentlyContinue
        @(Get-AmiSharedWithMe @AsConsumer | ForEach-Object ImageId) | Should -Not -Contain $Demo.Unencrypted
        (Get-AmiSharedWithMe @AsConsumer -IncludePublic | Where-Object ImageId -EQ $Demo.Unencrypted).Via | Should -Be 'Public'
        # The owner's own public AMI is not "shared with" the owner.
        @(Get-AmiSharedWithMe -IncludePublic -EndpointUrl $Endpoint | ForEach-Object ImageId) | Should -Not -Contain $Demo.Unencrypted
    }

    It 'exports cleanly with Export-Csv and reads back' {
        Grant-AmiLaunchPermission $Demo.Unencrypted -AccountId $Demo.ConsumerAccount -EndpointUrl $Endpoint
        $file = Join-Path $TestDrive 'shared.csv'
        Get-AmiSharedWithMe @AsConsumer | Export-Csv $file -NoTypeInformation
        $back = Import-Csv $file | Where-Object ImageId -EQ $Demo.Unencrypted
        $back.Region | Should -Be 'us-east-1'
        $back.Via | Should -Be 'DirectOrOrganization'
        $back.CanCopy | Should -BeIn 'True', 'False'
        (Get-Content $file -Raw) | Should -Not -Match 'System\.Collections'
    }

    It 'shows an 80-column table grouped by region, with the Via, Key and Copy columns' {
        Grant-AmiLaunchPermission $Demo.Unencrypted -AccountId $Demo.ConsumerAccount -EndpointUrl $Endpoint
        $text = Get-AmiSharedWithMe @AsConsumer | Out-String -Width 80
        $text | Should -Match 'Region: us-east-1'
        $text | Should -Match 'Via\s+Key\s+Copy\s+Name'
        $text | Should -Match "$($Demo.Unencrypted)\s+$($Demo.OwnerAccount)\s+Direct/Org\s+-\s+NO\s+web-server-2026\.11"
    }

    It 'shows a progress bar over the regions it reads, and completes it' {
        $shell = [PowerShell]::Create()
        try {
            $null = $shell.AddCommand('Import-Module').AddArgument((Get-AmiShareModuleManifest)).AddStatement()
            $parameters = @{ Region = @('us-east-1', 'eu-west-1') } + $AsConsumer
            $null = $shell.AddCommand('Get-AmiSharedWithMe').AddParameters($parameters)
            $null = $shell.Invoke()
            $shell.HadErrors | Should -BeFalse
            $records = @($shell.Streams.Progress | Where-Object Activity -EQ 'Get-AmiSharedWithMe')
            @($records | ForEach-Object StatusDescription) | Should -Contain '0 of 2 region(s) read'
            $records[-1].RecordType | Should -Be 'Completed'
        }
        finally {
            $shell.Dispose()
        }
    }

    It 'has help with examples' {
        $help = Get-Help Get-AmiSharedWithMe -Full
        @($help.examples.example).Count | Should -BeGreaterThan 0
        $help.Synopsis | Should -Match 'share'
    }
}
