# Get-AmiShareReport against the emulator's demo world (see TestHelpers.psm1): 3 regions, the owner's AMIs in us-east-1
# and eu-west-1, an organization with three member accounts; 999988887777 is outside it.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $ProgressPreference = 'SilentlyContinue'   # the cmdlets' progress is not what these tests check
    Set-AmiShareTestEnvironment
    Import-AmiShareModule
    $script:Demo = Get-AmiShareDemo
    $script:Endpoint = (Start-AmiShareEmulator).EndpointUrl
    $script:Outside = '999988887777'
    $script:Owned = @($Demo.Unencrypted, $Demo.CmkEncrypted, $Demo.AwsEbsEncrypted, $Demo.Marketplace, $Demo.TwoSnapshots, $Demo.EuWest)
}

AfterAll {
    Stop-AmiShareEmulator
    Restore-AmiShareTestEnvironment
}

Describe 'Get-AmiShareReport' -Tag CI {
    BeforeEach {
        Reset-AmiShareEmulator
        Grant-AmiLaunchPermission $Demo.Unencrypted -AccountId $Demo.ConsumerAccount, $Outside -EndpointUrl $Endpoint
    }

    It 'writes one AmiShare.AmiShareReportRow per owned AMI in every enabled region' {
        $rows = @(Get-AmiShareReport -AllRegions -EndpointUrl $Endpoint)
        $rows[0].PSObject.TypeNames | Should -Contain 'AmiShare.AmiShareReportRow'
        ($rows.ImageId | Sort-Object) | Should -Be ($Owned | Sort-Object)
        ($rows | Where-Object ImageId -EQ $Demo.EuWest).Region | Should -Be 'eu-west-1'
        $Demo.NotOwned | Should -Not -BeIn $rows.ImageId
    }

    It 'names the accounts outside the organization in External' {
        $row = Get-AmiShareReport -ImageId $Demo.Unencrypted -EndpointUrl $Endpoint
        @($row.External) | Should -Be @($Outside)
        $row.ExternalKnown | Should -BeTrue
        ($row.Accounts | Sort-Object) | Should -Be (@($Demo.ConsumerAccount, $Outside) | Sort-Object)
    }

    It 'tells a customer managed key from aws/ebs' {
        $rows = @(Get-AmiShareReport -ImageId $Demo.CmkEncrypted, $Demo.AwsEbsEncrypted -EndpointUrl $Endpoint)
        ($rows | Where-Object ImageId -EQ $Demo.CmkEncrypted).KeyManager | Should -Be 'CMK'
        ($rows | Where-Object ImageId -EQ $Demo.AwsEbsEncrypted).KeyManager | Should -Be 'aws/ebs'
    }

    It 'exports to CSV with each list in one cell' {
        $csv = Join-Path ([IO.Path]::GetTempPath()) "amishare-report-$([guid]::NewGuid().ToString('N')).csv"
        try {
            Get-AmiShareReport -AllRegions -EndpointUrl $Endpoint | Export-Csv -LiteralPath $csv -NoTypeInformation
            $back = @(Import-Csv -LiteralPath $csv)
            $back.Count | Should -Be $Owned.Count
            $row = $back | Where-Object ImageId -EQ $Demo.Unencrypted
            $row.External | Should -Be $Outside
            ($row.Accounts -split ', ' | Sort-Object) | Should -Be (@($Demo.ConsumerAccount, $Outside) | Sort-Object)
            Get-Content -LiteralPath $csv -Raw | Should -Not -Match 'System\.'
        }
        finally {
            Remove-Item -LiteralPath $csv -ErrorAction SilentlyContinue
        }
    }

    It 'converts to JSON with lists as arrays' {
        $json = Get-AmiShareReport -ImageId $Demo.Unencrypted -EndpointUrl $Endpoint | ConvertTo-Json -Depth 3 | ConvertFrom-Json
        $json.Accounts.Count | Should -Be 2
        @($json.External) | Should -Be @($Outside)
    }

    It 'shows Region, ImageId, Public, Key and External in its default table' {
        $text = Get-AmiShareReport -ImageId $Demo.Unencrypted -EndpointUrl $Endpoint | Out-String -Width 80
        $text | Should -Match 'Region\s+ImageId\s+Public\s+Key\s+External'
        $text | Should -Match ([regex]::Escape($Outside))
    }

    It 'adds an empty Usage and UsedBy with -IncludeUsage when no other account uses the AMI, one usage report per AMI' {
        $env:AMISHARE_USAGE_POLL_SECONDS = '0.05'
        try {
            $row = Get-AmiShareReport -ImageId $Demo.Unencrypted -IncludeUsage -EndpointUrl $Endpoint
        }
        finally {
            Remove-Item Env:AMISHARE_USAGE_POLL_SECONDS -ErrorAction SilentlyContinue
        }
        $row.PSObject.TypeNames[0] | Should -Be 'AmiShare.AmiShareReportRow#Usage'
        $row.Usage.Count | Should -Be 0
        $row.UsedBy.Count | Should -Be 0
        (Get-AmiShareEmulatorLog).Counts['CreateImageUsageReport'] | Should -Be 1
        $plain = Get-AmiShareReport -ImageId $Demo.Unencrypted -EndpointUrl $Endpoint
        $plain.Usage | Should -BeNullOrEmpty
        (Get-AmiShareEmulatorLog).Counts['CreateImageUsageReport'] | Should -Be 1
    }

    It 'refuses -AllRegions with two -Region values before any call' {
        { Get-AmiShareReport -AllRegions -Region us-east-1, eu-west-1 -EndpointUrl $Endpoint -ErrorAction Stop } |
            Should -Throw -ErrorId 'ShareReportRegions,AmiShare.Commands.GetAmiShareReportCommand'
    }
}

Describe 'Get-AmiShareReport -IncludeUsage' -Tag CI {
    # The audit world of docs/audit.md (docs/examples/audit-world.json): instances and launch templates in other accounts;
    # each usage report stays pending for 2 seconds.
    BeforeAll {
        $world = Join-Path (Get-AmiShareRepoRoot) 'docs/examples/audit-world.json'
        $script:Endpoint = (Start-AmiShareEmulator -ArgumentList '--world', $world, '--usage-report-pending-seconds', '2').EndpointUrl
        $env:AMISHARE_USAGE_POLL_SECONDS = '0.1'
        $script:Consumer = $Demo.ConsumerAccount
        $script:Rows = @(Get-AmiShareReport -AllRegions -IncludeUsage -EndpointUrl $Endpoint)
        $script:Web = $Rows | Where-Object ImageId -EQ $Demo.Unencrypted
    }

    AfterAll {
        Remove-Item Env:AMISHARE_USAGE_POLL_SECONDS -ErrorAction SilentlyContinue
    }

    It 'names the accounts that still use each AMI, with their instances and launch templates' {
        $Rows.Count | Should -Be 6
        @($Web.UsedBy) | Should -Be @($Consumer, $Outside)
        $Web.Usage[0].AccountId | Should -Be $Consumer
        $Web.Usage[0].Instances | Should -Be 2
        $Web.Usage[0].LaunchTemplates | Should -Be 1
        ($Rows | Where-Object ImageId -EQ $Demo.AwsEbsEncrypted).Usage.Count | Should -Be 0
        (Get-AmiShareEmulatorLog).Counts['CreateImageUsageReport'] | Should -Be 6
    }

    It 'reuses the reports on a rerun: the same usage, no new CreateImageUsageReport' {
        $again = @(Get-AmiShareReport -AllRegions -IncludeUsage -EndpointUrl $Endpoint)
        $again.Count | Should -Be 6
        @(($again | Where-Object ImageId -EQ $Demo.Unencrypted).UsedBy) | Should -Be @($Consumer, $Outside)
        (Get-AmiShareEmulatorLog).Counts['CreateImageUsageReport'] | Should -Be 6
    }

    It 'exports Usage to CSV as one readable cell and to JSON as objects' {
        $csv = Join-Path ([IO.Path]::GetTempPath()) "amishare-usage-$([guid]::NewGuid().ToString('N')).csv"
        try {
            $Rows | Export-Csv -LiteralPath $csv -NoTypeInformation
            $back = Import-Csv -LiteralPath $csv | Where-Object ImageId -EQ $Demo.Unencrypted
            $back.Usage | Should -Be "$Consumer (2 instances, 1 launch template); $Outside (1 instance)"
            $back.UsedBy | Should -Be "$Consumer, $Outside"
        }
        finally {
            Remove-Item -LiteralPath $csv -ErrorAction SilentlyContinue
        }

        $json = $Web | ConvertTo-Json | ConvertFrom-Json
        $json.Usage[1].AccountId | Should -Be $Outside
        $json.Usage[1].Instances | Should -Be 1
        $json.Usage[1].LaunchTemplates | Should -Be 0
    }

    It 'shows who uses each AMI, one account a line, in its 80-column table' {
        $text = $Web | Out-String -Width 80
        $text | Should -Match 'Region\s+ImageId\s+External\s+UsedBy'
        $text | Should -Match "$Consumer`: 2 inst, 1 LT"
        $text | Should -Match "$Outside`: 1 inst, 0 LT"
        ($text -split "`n" | Where-Object { $_.Length -gt 80 }) | Should -BeNullOrEmpty
    }

    It 'shows the wait for the usage reports as a phase of its progress bar' {
        # The reports of the runs above would be reused (already available): start from the world as loaded, so this run waits.
        Reset-AmiShareEmulator
        $shell = [PowerShell]::Create()
        try {
            $null = $shell.AddCommand('Import-Module').AddArgument((Get-AmiShareModuleManifest)).AddStatement()
            $null = $shell.AddCommand('Get-AmiShareReport').AddParameters(@{ ImageId = $Demo.Unencrypted; IncludeUsage = $true; EndpointUrl = $Endpoint })
            $out = @($shell.Invoke())
            $out.Count | Should -Be 1
            $status = @($shell.Streams.Progress | ForEach-Object StatusDescription)
            $status | Should -Contain '1 of 1 AMIs in 1 region(s); usage reports ready: 0 of 1'
        }
        finally {
            $shell.Dispose()
        }
    }
}
