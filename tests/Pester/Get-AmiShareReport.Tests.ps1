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

    It 'refuses -AllRegions with two -Region values before any call' {
        { Get-AmiShareReport -AllRegions -Region us-east-1, eu-west-1 -EndpointUrl $Endpoint -ErrorAction Stop } |
            Should -Throw -ErrorId 'ShareReportRegions,AmiShare.Commands.GetAmiShareReportCommand'
    }
}
