# Grant-AmiLaunchPermission against the emulator's demo world (see TestHelpers.psm1).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $ProgressPreference = 'SilentlyContinue'   # the cmdlets' progress is not what these tests check
    Set-AmiShareTestEnvironment
    Import-AmiShareModule
    $script:Demo = Get-AmiShareDemo
    $script:Endpoint = (Start-AmiShareEmulator).EndpointUrl
    $script:Id = 'AmiShare.Commands.GrantAmiLaunchPermissionCommand'
}

AfterAll {
    Stop-AmiShareEmulator
    Restore-AmiShareTestEnvironment
}

Describe 'Grant-AmiLaunchPermission' -Tag CI {
    Context 'sharing' {
        # A fresh demo world for every test, so no test depends on another.
        BeforeEach { Reset-AmiShareEmulator }

        It 'shares an AMI with one account' {
            Grant-AmiLaunchPermission -ImageId $Demo.Unencrypted -AccountId 111122223333 -EndpointUrl $Endpoint
            Get-Principal $Demo.Unencrypted | Should -Be @('111122223333')
        }

        It 'writes nothing without -PassThru' {
            $out = Grant-AmiLaunchPermission -ImageId $Demo.Unencrypted -AccountId 111122223333 -EndpointUrl $Endpoint
            $out | Should -BeNullOrEmpty
        }

        It 'shares with several accounts and reports them with -PassThru' {
            $r = Grant-AmiLaunchPermission $Demo.Unencrypted -AccountId 111122223333, 444455556666 -PassThru -EndpointUrl $Endpoint
            $r.PSObject.TypeNames | Should -Contain 'AmiShare.AmiShareResult'
            $r.Operation | Should -Be 'Grant'
            $r.Changed | Should -BeTrue
            @($r.Added | Sort-Object) | Should -Be @('111122223333', '444455556666')
            @($r.LaunchPermissions | Sort-Object) | Should -Be @('111122223333', '444455556666')
        }

        It 'adds only the missing principals and makes no write when all are there' {
            Grant-AmiLaunchPermission $Demo.Unencrypted -AccountId 111122223333 -EndpointUrl $Endpoint
            $second = Grant-AmiLaunchPermission $Demo.Unencrypted -AccountId 111122223333, 444455556666 -PassThru -EndpointUrl $Endpoint
            @($second.Added) | Should -Be @('444455556666')
            @($second.Unchanged) | Should -Be @('111122223333')

            Clear-AmiShareEmulatorLog
            $third = Grant-AmiLaunchPermission $Demo.Unencrypted -AccountId 111122223333, 444455556666 -PassThru -EndpointUrl $Endpoint
            $third.Changed | Should -BeFalse
            @($third.Added) | Should -BeNullOrEmpty
            Get-AmiShareEmulatorWrite | Should -BeNullOrEmpty
        }

        It 'shares with an organization and an OU by ARN' {
            Grant-AmiLaunchPermission $Demo.TwoSnapshots -OrganizationArn $Demo.OrganizationArn -OrganizationalUnitArn $Demo.FinanceOuArn -EndpointUrl $Endpoint
            $rows = @(Get-AmiLaunchPermission $Demo.TwoSnapshots -EndpointUrl $Endpoint)
            ($rows | Where-Object Type -EQ 'Organization').Principal | Should -Be $Demo.OrganizationArn
            ($rows | Where-Object Type -EQ 'OrganizationalUnit').Principal | Should -Be $Demo.FinanceOuArn
        }

        It 'accepts mixed principal forms through -Principal' {
            Grant-AmiLaunchPermission $Demo.Unencrypted -Principal '444455556666', $Demo.PlatformOuArn -EndpointUrl $Endpoint
            @(Get-Principal $Demo.Unencrypted | Sort-Object) | Should -Be @(@('444455556666', $Demo.PlatformOuArn) | Sort-Object)
        }

        It 'trims spaces around principals' {
            Grant-AmiLaunchPermission $Demo.Unencrypted -AccountId ' 111122223333 ' -EndpointUrl $Endpoint
            Get-Principal $Demo.Unencrypted | Should -Be @('111122223333')
        }

        It 'takes AMI ids from the pipeline as strings' {
            $Demo.Unencrypted, $Demo.TwoSnapshots | Grant-AmiLaunchPermission -AccountId 555566667777 -EndpointUrl $Endpoint
            Get-Principal $Demo.Unencrypted | Should -Be @('555566667777')
            Get-Principal $Demo.TwoSnapshots | Should -Be @('555566667777')
        }

        It 'takes objects with an ImageId property, as Get-EC2Image writes them' {
            [pscustomobject]@{ ImageId = $Demo.Unencrypted; Name = 'web-2024-01' } |
                Grant-AmiLaunchPermission -AccountId 111122223333 -EndpointUrl $Endpoint
            Get-Principal $Demo.Unencrypted | Should -Be @('111122223333')
        }

        It 'takes Import-Csv rows and combines rows for the same AMI' {
            $csv = Join-Path $TestDrive 'shares.csv'
            @(
                'ImageId,AccountId,Region'
                "$($Demo.Unencrypted),111122223333,us-east-1"
                "$($Demo.Unencrypted),444455556666,us-east-1"
                "$($Demo.TwoSnapshots),555566667777,us-east-1"
            ) | Set-Content -LiteralPath $csv
            $r = @(Import-Csv -LiteralPath $csv | Grant-AmiLaunchPermission -PassThru -EndpointUrl $Endpoint)
            $r.Count | Should -Be 2
            @($r[0].Added | Sort-Object) | Should -Be @('111122223333', '444455556666')
            @(Get-Principal $Demo.TwoSnapshots) | Should -Be @('555566667777')
        }

        It 'changes nothing with -WhatIf' {
            Grant-AmiLaunchPermission $Demo.Unencrypted -AccountId 111122223333 -EndpointUrl $Endpoint
            Clear-AmiShareEmulatorLog
            $r = Invoke-CapturingHost Grant-AmiLaunchPermission @{ ImageId = $Demo.Unencrypted; AccountId = '444455556666', '555566667777'; WhatIf = $true; EndpointUrl = $Endpoint }
            Get-Principal $Demo.Unencrypted | Should -Be @('111122223333')
            Get-AmiShareEmulatorWrite | Should -BeNullOrEmpty
            # One What if: line naming only the principals that would be added, and the AMI.
            $r.HostLines.Count | Should -Be 1
            $r.HostLines[0] | Should -BeLike "What if: Performing the operation `"Grant*444455556666, 555566667777*`" on target `"$($Demo.Unencrypted) (us-east-1)`"."
            $r.HostLines[0] | Should -Not -BeLike '*111122223333*'
        }

        It 'shares an AMI encrypted with a customer managed key, warning that the account cannot use the key' {
            Grant-AmiLaunchPermission $Demo.CmkEncrypted -AccountId 111122223333 -EndpointUrl $Endpoint `
                -WarningVariable w -WarningAction SilentlyContinue
            Get-Principal $Demo.CmkEncrypted | Should -Be @('111122223333')
            "$w" | Should -Match '111122223333'
            "$w" | Should -Match '-IncludeKmsKey'
        }

        It 'retries a throttled write and still shares' {
            Set-AmiShareEmulatorFault -Action ModifyImageAttribute -Kind throttle -Times 1 | Out-Null
            Grant-AmiLaunchPermission $Demo.Unencrypted -AccountId 111122223333 -EndpointUrl $Endpoint
            Get-Principal $Demo.Unencrypted | Should -Be @('111122223333')
            $log = Get-AmiShareEmulatorLog
            $log.Counts['ModifyImageAttribute'] | Should -Be 2
            @($log.Entries | Where-Object action -EQ 'ModifyImageAttribute' | ForEach-Object { $_.error }) | Should -Be @('RequestLimitExceeded', $null)
        }

        It 'shares with an organization given by its bare id' {
            Grant-AmiLaunchPermission $Demo.TwoSnapshots -Principal o-abc1234567 -EndpointUrl $Endpoint
            Get-Principal $Demo.TwoSnapshots | Should -Be @($Demo.OrganizationArn)
        }

        It 'shares with an OU given by its bare id, through -OrganizationalUnitArn too' {
            Grant-AmiLaunchPermission $Demo.TwoSnapshots -OrganizationalUnitArn ou-ab12-11111111 -EndpointUrl $Endpoint
            Get-Principal $Demo.TwoSnapshots | Should -Be @($Demo.EngineeringOuArn)
        }
    }

    Context '-IncludeKmsKey' {
        BeforeEach { Reset-AmiShareEmulator }

        It 'adds the account root to the AmiShareAccounts statement and keeps the other statements' {
            $before = Get-PolicyStatement (Get-KeyPolicy)
            Grant-AmiLaunchPermission $Demo.CmkEncrypted -AccountId 111122223333 -IncludeKmsKey -EndpointUrl $Endpoint `
                -WarningVariable w -WarningAction SilentlyContinue
            $w.Count | Should -Be 0
            $after = Get-PolicyStatement (Get-KeyPolicy)
            $managed = @($after | Where-Object Sid -EQ 'AmiShareAccounts')
            $managed.Count | Should -Be 1
            @($managed[0].Principal.AWS) | Should -Be @('arn:aws:iam::111122223333:root')
            @($managed[0].Action) | Should -Contain 'kms:CreateGrant'
            @($managed[0].Action) | Should -Contain 'kms:Decrypt'
            $foreign = @($after | Where-Object { $_.Sid -notlike 'AmiShare*' })
            ($foreign | ConvertTo-Json -Depth 10) | Should -Be ($before | ConvertTo-Json -Depth 10)
        }

        It 'writes one aws:PrincipalOrgPaths statement for an OU, and changes nothing the second time' {
            Grant-AmiLaunchPermission $Demo.CmkEncrypted -OrganizationalUnitArn $Demo.EngineeringOuArn -IncludeKmsKey -EndpointUrl $Endpoint
            $policy = Get-KeyPolicy
            $ou = @(Get-PolicyStatement $policy | Where-Object Sid -EQ 'AmiShareOrganizationalUnits')
            $ou.Count | Should -Be 1
            $ou[0].Principal | Should -Be '*'
            @($ou[0].Condition.'ForAnyValue:StringLike'.'aws:PrincipalOrgPaths') | Should -Be @('o-abc1234567/r-ab12/ou-ab12-11111111/*')

            Clear-AmiShareEmulatorLog
            $r = Grant-AmiLaunchPermission $Demo.CmkEncrypted -OrganizationalUnitArn $Demo.EngineeringOuArn -IncludeKmsKey -PassThru -EndpointUrl $Endpoint
            $r.Changed | Should -BeFalse
            Get-KeyPolicy | Should -BeExactly $policy
            Get-AmiShareEmulatorWrite | Should -BeNullOrEmpty
        }

        It 'writes an aws:PrincipalOrgID statement for an organization given by its bare id' {
            Grant-AmiLaunchPermission $Demo.CmkEncrypted -Principal o-abc1234567 -IncludeKmsKey -EndpointUrl $Endpoint
            $org = @(Get-PolicyStatement (Get-KeyPolicy) | Where-Object Sid -EQ 'AmiShareOrganizations')
            @($org[0].Condition.StringEquals.'aws:PrincipalOrgID') | Should -Be @('o-abc1234567')
            Get-Principal $Demo.CmkEncrypted | Should -Be @($Demo.OrganizationArn)
        }

        It 'changes neither the AMI nor the key policy with -WhatIf' {
            $before = Get-KeyPolicy
            $r = Invoke-CapturingHost Grant-AmiLaunchPermission @{ ImageId = $Demo.CmkEncrypted; AccountId = '111122223333'; IncludeKmsKey = $true; WhatIf = $true; EndpointUrl = $Endpoint }
            Get-KeyPolicy | Should -BeExactly $before
            Get-Principal $Demo.CmkEncrypted | Should -BeNullOrEmpty
            Get-AmiShareEmulatorWrite | Should -BeNullOrEmpty
            # One What if: message naming the launch permission, the key and the AmiShare statements before and after.
            $text = $r.HostLines -join "`n"
            $r.HostLines[0] | Should -BeLike 'What if: Performing the operation "Grant*111122223333*'
            $text | Should -BeLike "*arn:aws:kms:us-east-1:123456789012:key/$($Demo.CmkKeyId)*"
            $text | Should -BeLike '*AmiShareAccounts*arn:aws:iam::111122223333:root*'
            $text | Should -BeLike "*on target `"$($Demo.CmkEncrypted) (us-east-1)`".*"
        }

        It 'still refuses an AMI encrypted with aws/ebs, before any write' {
            { Grant-AmiLaunchPermission $Demo.AwsEbsEncrypted -AccountId 111122223333 -IncludeKmsKey -EndpointUrl $Endpoint -ErrorAction Stop } |
                Should -Throw -ErrorId "EncryptedWithAwsManagedKey,$Id"
            Get-Principal $Demo.AwsEbsEncrypted | Should -BeNullOrEmpty
            Get-AmiShareEmulatorWrite | Should -BeNullOrEmpty
        }
    }

    Context '-IncludeSnapshot' {
        BeforeEach { Reset-AmiShareEmulator }

        It 'gives both accounts createVolumePermission on every snapshot of the AMI' {
            Grant-AmiLaunchPermission $Demo.TwoSnapshots -AccountId 111122223333, 444455556666 -IncludeSnapshot -EndpointUrl $Endpoint
            foreach ($snapshot in 'snap-0a1b2c3d4e5f60005', 'snap-0a1b2c3d4e5f60015') {
                @(Get-SnapshotAccount $snapshot | Sort-Object) | Should -Be @('111122223333', '444455556666')
            }
        }

        It 'leaves an OU out of the snapshots with a warning that names it' {
            Grant-AmiLaunchPermission $Demo.TwoSnapshots -Principal 111122223333, $Demo.FinanceOuArn -IncludeSnapshot -EndpointUrl $Endpoint `
                -WarningVariable w -WarningAction SilentlyContinue
            "$w" | Should -Match ([regex]::Escape($Demo.FinanceOuArn))
            Get-SnapshotAccount 'snap-0a1b2c3d4e5f60005' | Should -Be @('111122223333')
            @(Get-Principal $Demo.TwoSnapshots).Count | Should -Be 2
        }

        It 'gives no snapshot access without -IncludeSnapshot' {
            Grant-AmiLaunchPermission $Demo.TwoSnapshots -AccountId 111122223333 -EndpointUrl $Endpoint
            @(Get-SnapshotAccount 'snap-0a1b2c3d4e5f60005') | Should -BeNullOrEmpty
        }
    }

    Context 'refusals' {
        BeforeAll { Reset-AmiShareEmulator }

        It 'refuses a malformed account id before any call' {
            Clear-AmiShareEmulatorLog
            { Grant-AmiLaunchPermission $Demo.Unencrypted -AccountId 12345 -EndpointUrl $Endpoint } |
                Should -Throw -ErrorId "InvalidPrincipal,$Id"
            (Get-AmiShareEmulatorLog).Total | Should -Be 0
        }

        It 'refuses a bare organization id when Organizations cannot be read, and shows the ARN form' {
            # The third-party account of the demo world is in no organization.
            $e = { Grant-AmiLaunchPermission $Demo.NotOwned -Principal o-abc1234567 -EndpointUrl $Endpoint `
                    -AccessKey AKIAAMISHARETHIRD0001 -SecretKey third-secret -ErrorAction Stop } |
                Should -Throw -ErrorId "InvalidPrincipal,$Id" -PassThru
            "$($e.Exception.Message) $($e.ErrorDetails.RecommendedAction)" | Should -Match 'arn:aws:organizations::'
        }

        It 'refuses an OU ARN given to -AccountId' {
            { Grant-AmiLaunchPermission $Demo.Unencrypted -AccountId $Demo.FinanceOuArn -EndpointUrl $Endpoint } |
                Should -Throw -ErrorId "InvalidPrincipal,$Id"
        }

        It 'refuses to make an AMI public' {
            { Grant-AmiLaunchPermission $Demo.Unencrypted -Principal all -EndpointUrl $Endpoint } |
                Should -Throw -ErrorId "PublicNotAllowedHere,$Id"
        }

        It 'refuses a call without any principal' {
            { Grant-AmiLaunchPermission $Demo.Unencrypted -EndpointUrl $Endpoint } |
                Should -Throw -ErrorId "MissingPrincipal,$Id"
        }

        It 'writes InvalidImageId for a malformed AMI id and goes on' {
            $r = Grant-AmiLaunchPermission 'ami-nothex', $Demo.Unencrypted -AccountId 111122223333 -PassThru `
                -EndpointUrl $Endpoint -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeExactly "InvalidImageId,$Id"
            $r.ImageId | Should -Be $Demo.Unencrypted
        }

        It 'writes AmiNotOwned for an AMI of another account and still shares the others' {
            $r = Grant-AmiLaunchPermission $Demo.NotOwned, $Demo.TwoSnapshots -AccountId 111122223333 -PassThru `
                -EndpointUrl $Endpoint -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeExactly "AmiNotOwned,$Id"
            $err[0].TargetObject | Should -Be $Demo.NotOwned
            $r.ImageId | Should -Be $Demo.TwoSnapshots
        }

        It 'stops with AmiNotFound for an unknown AMI under -ErrorAction Stop' {
            { Grant-AmiLaunchPermission $Demo.Missing -AccountId 111122223333 -EndpointUrl $Endpoint -ErrorAction Stop } |
                Should -Throw -ErrorId "AmiNotFound,$Id"
        }

        It 'refuses an AMI encrypted with the AWS managed key aws/ebs' {
            { Grant-AmiLaunchPermission $Demo.AwsEbsEncrypted -AccountId 111122223333 -EndpointUrl $Endpoint -ErrorAction Stop } |
                Should -Throw -ErrorId "EncryptedWithAwsManagedKey,$Id"
        }

        It 'puts the fix in ErrorDetails.RecommendedAction' {
            Grant-AmiLaunchPermission $Demo.AwsEbsEncrypted -AccountId 111122223333 -EndpointUrl $Endpoint `
                -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        }

        It 'gives an empty -ImageId a non-terminating InvalidImageId and calls nothing' {
            Clear-AmiShareEmulatorLog
            Grant-AmiLaunchPermission -ImageId '' -AccountId 111122223333 -EndpointUrl $Endpoint -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeExactly "InvalidImageId,$Id"
            $err[0].Exception.Message | Should -BeLike "*image id '' is not a valid AMI id*"
            (Get-AmiShareEmulatorLog).Total | Should -Be 0
        }
    }
}
