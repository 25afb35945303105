# Test-AmiShareable against the emulator's demo world (see TestHelpers.psm1).
# The cmdlet only reads, so one demo world serves most of the file; the tests that share first reset the emulator.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $ProgressPreference = 'SilentlyContinue'   # the cmdlets' progress is not what these tests check
    Set-AmiShareTestEnvironment
    Import-AmiShareModule
    $script:Demo = Get-AmiShareDemo
    $script:Endpoint = (Start-AmiShareEmulator).EndpointUrl
    $script:Id = 'AmiShare.Commands.TestAmiShareableCommand'

    # Sets the world up as the owner would with AWS.Tools (Add-EC2ImageWatermark, Enable-EC2SnapshotBlockPublicAccess): one
    # EC2 query to the emulator, which takes the account from the credential scope of the Authorization header.
    function Invoke-OwnerEc2Query([string] $Action, [hashtable] $Parameters) {
        $fields = @{ Action = $Action; Version = '2016-11-15' } + $Parameters
        $form = ($fields.GetEnumerator() | ForEach-Object { [uri]::EscapeDataString($_.Key) + '=' + [uri]::EscapeDataString([string] $_.Value) }) -join '&'
        $auth = 'AWS4-HMAC-SHA256 Credential=AKIAAMISHAREOWNER001/20261129/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0'
        Invoke-WebRequest -Uri $script:Endpoint -Method Post -Body $form -ContentType 'application/x-www-form-urlencoded' -Headers @{ Authorization = $auth } -UseBasicParsing | Out-Null
    }
}

AfterAll {
    Stop-AmiShareEmulator
    Restore-AmiShareTestEnvironment
}

Describe 'Test-AmiShareable' -Tag CI {
    Context 'findings' {
        It 'writes AmiShare.AmiShareFinding objects with Check, Status, Detail and Remedy' {
            $f = @(Test-AmiShareable $Demo.Unencrypted -AccountId 111122223333 -EndpointUrl $Endpoint)
            $f.Count | Should -BeGreaterThan 0
            $f[0].PSObject.TypeNames | Should -Contain 'AmiShare.AmiShareFinding'
            $f.Check | Should -Contain 'Ownership'
            $f.Check | Should -Contain 'State'
            $f | ForEach-Object { $_.Status | Should -BeIn @('Pass', 'Warn', 'Fail') }
            $f | ForEach-Object { $_.ImageId | Should -Be $Demo.Unencrypted }
        }

        It 'passes every check for an unencrypted AMI and an account' {
            @(Test-AmiShareable $Demo.Unencrypted -AccountId 111122223333 -EndpointUrl $Endpoint | Where-Object Status -NE 'Pass') |
                Should -BeNullOrEmpty
        }

        It 'warns that an account cannot use the customer managed key, naming -IncludeKmsKey' {
            $access = @(Test-AmiShareable $Demo.CmkEncrypted -AccountId 111122223333 -EndpointUrl $Endpoint | Where-Object Check -EQ 'KmsKeyAccess')
            $access.Count | Should -Be 1
            $access[0].Status | Should -Be 'Warn'
            $access[0].Principal | Should -Be '111122223333'
            $access[0].Remedy | Should -Match '-IncludeKmsKey'
        }

        It 'counts missing key access as fixed with -IncludeKmsKey' {
            @(Test-AmiShareable $Demo.CmkEncrypted -AccountId 111122223333 -IncludeKmsKey -EndpointUrl $Endpoint |
                Where-Object Status -NE 'Pass') | Should -BeNullOrEmpty
        }

        It 'fails an AMI encrypted with aws/ebs with EncryptedWithAwsManagedKey and the copy remedy' {
            $fail = @(Test-AmiShareable $Demo.AwsEbsEncrypted -AccountId 111122223333 -EndpointUrl $Endpoint | Where-Object Status -EQ 'Fail')
            $fail.Count | Should -Be 1
            $fail[0].Check | Should -Be 'KmsKeyManager'
            $fail[0].ErrorId | Should -Be 'EncryptedWithAwsManagedKey'
            $fail[0].Remedy | Should -Match 'Copy-EC2Image'
        }

        It 'fails the Ownership check for an AMI of another account' {
            $own = Test-AmiShareable $Demo.NotOwned -AccountId 111122223333 -EndpointUrl $Endpoint | Where-Object Check -EQ 'Ownership'
            $own.Status | Should -Be 'Fail'
            $own.ErrorId | Should -Be 'AmiNotOwned'
        }

        It 'warns with -IncludeSnapshot that an OU cannot get snapshot access' {
            $w = @(Test-AmiShareable $Demo.TwoSnapshots -Principal 444455556666, $Demo.FinanceOuArn -IncludeSnapshot -EndpointUrl $Endpoint |
                Where-Object Check -EQ 'SnapshotSharing')
            $w.Count | Should -Be 1
            $w[0].Status | Should -Be 'Warn'
            $w[0].Detail | Should -Match ([regex]::Escape($Demo.FinanceOuArn))
        }

        It 'resolves a bare OU id through Organizations' {
            $f = @(Test-AmiShareable $Demo.CmkEncrypted -Principal ou-ab12-11111111 -EndpointUrl $Endpoint | Where-Object Check -EQ 'KmsKeyAccess')
            $f[0].Principal | Should -Be $Demo.EngineeringOuArn
        }

        It 'reports one finding per snapshot of an AMI with two snapshots' {
            $snap = @(Test-AmiShareable $Demo.TwoSnapshots -EndpointUrl $Endpoint | Where-Object Check -EQ 'SnapshotEncryption')
            @($snap.Resource | Sort-Object) | Should -Be @('snap-0a1b2c3d4e5f60005', 'snap-0a1b2c3d4e5f60015')
        }
    }

    Context 'public' {
        It 'fails <Name> with <ErrorId>' -TestCases @(
            @{ Name = 'an encrypted AMI'; ImageId = 'ami-0a1b2c3d4e5f60002'; Region = 'us-east-1'; ErrorId = 'EncryptedSnapshotsCannotBePublic' }
            @{ Name = 'a Marketplace AMI'; ImageId = 'ami-0a1b2c3d4e5f60004'; Region = 'us-east-1'; ErrorId = 'ProductCodesCannotBePublic' }
            @{ Name = 'an AMI where block public access is on'; ImageId = 'ami-0a1b2c3d4e5f60006'; Region = 'eu-west-1'; ErrorId = 'PublicSharingBlocked' }
        ) {
            param($Name, $ImageId, $Region, $ErrorId)
            $fail = @(Test-AmiShareable $ImageId -Public -Region $Region -EndpointUrl $Endpoint | Where-Object Status -EQ 'Fail')
            $fail.ErrorId | Should -Contain $ErrorId
            ($fail | Where-Object ErrorId -EQ $ErrorId).Remedy | Should -Not -BeNullOrEmpty
        }

        It 'names DisableImageBlockPublicAccess in the block public access remedy' {
            $bpa = Test-AmiShareable $Demo.EuWest -Public -Region eu-west-1 -EndpointUrl $Endpoint | Where-Object Check -EQ 'BlockPublicAccess'
            $bpa.Remedy | Should -Match 'DisableImageBlockPublicAccess'
        }

        It 'warns about the two-year deprecation of a public AMI' {
            $dep = Test-AmiShareable $Demo.Unencrypted -Public -EndpointUrl $Endpoint | Where-Object Check -EQ 'Deprecation'
            $dep.Status | Should -Be 'Warn'
        }
    }

    Context '-Quiet' {
        It 'returns <Expected> for <Name>' -TestCases @(
            @{ Name = 'an unencrypted AMI and an account'; ImageId = 'ami-0a1b2c3d4e5f60001'; Public = $false; Expected = $true }
            @{ Name = 'a CMK AMI (warnings do not count)'; ImageId = 'ami-0a1b2c3d4e5f60002'; Public = $false; Expected = $true }
            @{ Name = 'an aws/ebs AMI'; ImageId = 'ami-0a1b2c3d4e5f60003'; Public = $false; Expected = $false }
            @{ Name = 'a Marketplace AMI made public'; ImageId = 'ami-0a1b2c3d4e5f60004'; Public = $true; Expected = $false }
        ) {
            param($Name, $ImageId, $Public, $Expected)
            $r = @(Test-AmiShareable $ImageId -AccountId 111122223333 -Public:$Public -Quiet -EndpointUrl $Endpoint)
            $r.Count | Should -Be 1
            $r[0] | Should -BeOfType [bool]
            $r[0] | Should -Be $Expected
        }

        It 'returns one answer per AMI from the pipeline' {
            $r = @($Demo.Unencrypted, $Demo.AwsEbsEncrypted | Test-AmiShareable -AccountId 111122223333 -Quiet -EndpointUrl $Endpoint)
            $r | Should -Be @($true, $false)
        }
    }

    Context 'no writes and errors' {
        It 'makes no change' {
            Clear-AmiShareEmulatorLog
            Test-AmiShareable $Demo.CmkEncrypted -AccountId 111122223333 -IncludeKmsKey -IncludeSnapshot -EndpointUrl $Endpoint | Out-Null
            Get-AmiShareEmulatorWrite | Should -BeNullOrEmpty
            @(Get-AmiLaunchPermission $Demo.CmkEncrypted -EndpointUrl $Endpoint) | Should -BeNullOrEmpty
        }

        It 'writes AmiNotFound for an unknown AMI and goes on' {
            $r = @(Test-AmiShareable $Demo.Missing, $Demo.Unencrypted -AccountId 111122223333 -Quiet -EndpointUrl $Endpoint `
                -ErrorVariable err -ErrorAction SilentlyContinue)
            $err[0].FullyQualifiedErrorId | Should -BeExactly "AmiNotFound,$Id"
            $r | Should -Be @($true)
        }

        It 'stops with InvalidPrincipal for a malformed account id among good ones, before any call' {
            Clear-AmiShareEmulatorLog
            { Test-AmiShareable $Demo.Unencrypted, $Demo.TwoSnapshots -AccountId 111122223333, 12345 -EndpointUrl $Endpoint } |
                Should -Throw -ErrorId "InvalidPrincipal,$Id"
            (Get-AmiShareEmulatorLog).Total | Should -Be 0
        }
    }

    Context 'after a share' {
        BeforeEach { Reset-AmiShareEmulator }

        It 'passes key access once Grant -IncludeKmsKey has run' {
            Grant-AmiLaunchPermission $Demo.CmkEncrypted -AccountId 111122223333 -IncludeKmsKey -EndpointUrl $Endpoint
            $access = Test-AmiShareable $Demo.CmkEncrypted -AccountId 111122223333 -EndpointUrl $Endpoint | Where-Object Check -EQ 'KmsKeyAccess'
            $access.Status | Should -Be 'Pass'
            $access.Detail | Should -Match 'AmiShareAccounts'
        }
    }

    Context 'watermarks and block public access for snapshots' {
        BeforeEach { Reset-AmiShareEmulator }

        It 'fails the Watermarks check of a watermarked AMI for -Public, naming the key and DetachImageWatermark' {
            Invoke-OwnerEc2Query AttachImageWatermark @{ ImageId = $Demo.Unencrypted; WatermarkName = 'approved-base' }
            $f = Test-AmiShareable $Demo.Unencrypted -Public -EndpointUrl $Endpoint | Where-Object Check -EQ 'Watermarks'
            $f.Status | Should -Be 'Fail'
            $f.ErrorId | Should -Be 'WatermarkedCannotBePublic'
            $f.Detail | Should -Match ([regex]::Escape("$($Demo.OwnerAccount):approved-base"))
            $f.Remedy | Should -Match 'DetachImageWatermark'
            Test-AmiShareable $Demo.Unencrypted -Public -Quiet -EndpointUrl $Endpoint | Should -BeFalse
            Test-AmiShareable $Demo.Unencrypted -AccountId 111122223333 -Quiet -EndpointUrl $Endpoint | Should -BeTrue
        }

        It 'warns that consumers cannot copy a public AMI under block public access for snapshots' {
            Invoke-OwnerEc2Query EnableSnapshotBlockPublicAccess @{ State = 'block-new-sharing' }
            $f = Test-AmiShareable $Demo.Unencrypted -Public -IncludeSnapshot -EndpointUrl $Endpoint | Where-Object Check -EQ 'SnapshotBlockPublicAccess'
            $f.Status | Should -Be 'Warn'
            $f.Detail | Should -Match 'block-new-sharing'
            $f.Detail | Should -Match 'not copy it'
            $f.Remedy | Should -Match 'Disable-EC2SnapshotBlockPublicAccess'
            Test-AmiShareable $Demo.Unencrypted -Public -Quiet -EndpointUrl $Endpoint | Should -BeTrue
        }

        It 'passes SnapshotBlockPublicAccess when the block is off' {
            (Test-AmiShareable $Demo.Unencrypted -Public -EndpointUrl $Endpoint | Where-Object Check -EQ 'SnapshotBlockPublicAccess').Status | Should -Be 'Pass'
        }
    }
}
