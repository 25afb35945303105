# Revoke-AmiLaunchPermission against the emulator's demo world (see TestHelpers.psm1).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $ProgressPreference = 'SilentlyContinue'   # the cmdlets' progress is not what these tests check
    Set-AmiShareTestEnvironment
    Import-AmiShareModule
    $script:Demo = Get-AmiShareDemo
    $script:Endpoint = (Start-AmiShareEmulator).EndpointUrl
    $script:Id = 'AmiShare.Commands.RevokeAmiLaunchPermissionCommand'
}

AfterAll {
    Stop-AmiShareEmulator
    Restore-AmiShareTestEnvironment
}

Describe 'Revoke-AmiLaunchPermission' -Tag CI {
    Context 'revoking' {
        # A fresh demo world for every test, so no test depends on another.
        BeforeEach {
            Reset-AmiShareEmulator
            Grant-AmiLaunchPermission $Demo.Unencrypted -AccountId 111122223333, 444455556666 -EndpointUrl $script:Endpoint
            Clear-AmiShareEmulatorLog
        }

        It 'removes one account and keeps the others' {
            Revoke-AmiLaunchPermission -ImageId $Demo.Unencrypted -AccountId 111122223333 -EndpointUrl $Endpoint
            Get-Principal $Demo.Unencrypted | Should -Be @('444455556666')
        }

        It 'removes several accounts in one call and reports it with -PassThru' {
            $r = Revoke-AmiLaunchPermission $Demo.Unencrypted -AccountId 111122223333, 444455556666 -PassThru -EndpointUrl $Endpoint
            $r.Operation | Should -Be 'Revoke'
            $r.Changed | Should -BeTrue
            @($r.Removed | Sort-Object) | Should -Be @('111122223333', '444455556666')
            @($r.LaunchPermissions) | Should -BeNullOrEmpty
            Get-Principal $Demo.Unencrypted | Should -BeNullOrEmpty
        }

        It 'makes no write for a principal that has no launch permission' {
            $r = Revoke-AmiLaunchPermission $Demo.Unencrypted -AccountId 555566667777 -PassThru -EndpointUrl $Endpoint
            $r.Changed | Should -BeFalse
            Get-AmiShareEmulatorWrite | Should -BeNullOrEmpty
            @($r.Unchanged) | Should -Be @('555566667777')
            @(Get-Principal $Demo.Unencrypted).Count | Should -Be 2
        }

        It 'takes Get-AmiLaunchPermission rows from the pipeline' {
            Get-AmiLaunchPermission $Demo.Unencrypted -EndpointUrl $Endpoint |
                Where-Object Type -EQ 'Account' |
                Revoke-AmiLaunchPermission -EndpointUrl $Endpoint
            Get-Principal $Demo.Unencrypted | Should -BeNullOrEmpty
        }

        It 'combines adjacent rows for the same AMI into one result' {
            $r = @(Get-AmiLaunchPermission $Demo.Unencrypted -EndpointUrl $Endpoint | Revoke-AmiLaunchPermission -PassThru -EndpointUrl $Endpoint)
            $r.Count | Should -Be 1
            @($r[0].Removed).Count | Should -Be 2
        }

        It 'takes objects with ImageId and AccountId properties' {
            [pscustomobject]@{ ImageId = $Demo.Unencrypted; AccountId = '444455556666' } |
                Revoke-AmiLaunchPermission -EndpointUrl $Endpoint
            Get-Principal $Demo.Unencrypted | Should -Be @('111122223333')
        }

        It 'removes an OU by ARN' {
            Grant-AmiLaunchPermission $Demo.TwoSnapshots -OrganizationalUnitArn $Demo.FinanceOuArn -EndpointUrl $Endpoint
            Revoke-AmiLaunchPermission $Demo.TwoSnapshots -OrganizationalUnitArn $Demo.FinanceOuArn -EndpointUrl $Endpoint
            Get-Principal $Demo.TwoSnapshots | Should -BeNullOrEmpty
        }

        It 'removes public access with -Principal all and keeps the accounts' {
            Set-AmiPublic $Demo.Unencrypted -Force -EndpointUrl $Endpoint -WarningAction SilentlyContinue
            Revoke-AmiLaunchPermission $Demo.Unencrypted -Principal all -EndpointUrl $Endpoint
            @(Get-Principal $Demo.Unencrypted | Sort-Object) | Should -Be @('111122223333', '444455556666')
        }

        It 'warns when a removed account keeps access through an OU' {
            Grant-AmiLaunchPermission $Demo.Unencrypted -OrganizationalUnitArn $Demo.EngineeringOuArn -EndpointUrl $Endpoint
            Revoke-AmiLaunchPermission $Demo.Unencrypted -AccountId 111122223333 -EndpointUrl $Endpoint `
                -WarningVariable kept -WarningAction SilentlyContinue
            $kept.Count | Should -Be 1
            "$($kept[0])" | Should -Match 'keeps launch access'
            "$($kept[0])" | Should -Match 'ou-ab12-11111111'
            "$($kept[0])" | Should -Match ([regex]::Escape('path o-abc1234567/r-ab12/ou-ab12-11111111/'))
            Get-Principal $Demo.Unencrypted | Should -Not -Contain '111122223333'
        }

        It 'does not warn for an account outside the OU the AMI stays shared with' {
            Grant-AmiLaunchPermission $Demo.Unencrypted -OrganizationalUnitArn $Demo.EngineeringOuArn -EndpointUrl $Endpoint
            Grant-AmiLaunchPermission $Demo.Unencrypted -AccountId 555566667777 -EndpointUrl $Endpoint
            Revoke-AmiLaunchPermission $Demo.Unencrypted -AccountId 555566667777 -EndpointUrl $Endpoint `
                -WarningVariable kept -WarningAction SilentlyContinue
            $kept.Count | Should -Be 0
        }

        It 'warns through the organization when the AMI stays shared with it' {
            Grant-AmiLaunchPermission $Demo.Unencrypted -OrganizationArn $Demo.OrganizationArn -EndpointUrl $Endpoint
            Revoke-AmiLaunchPermission $Demo.Unencrypted -AccountId 444455556666 -EndpointUrl $Endpoint `
                -WarningVariable kept -WarningAction SilentlyContinue
            "$kept" | Should -Match 'organization o-abc1234567'
        }

        It 'removes an OU given by its bare id' {
            Grant-AmiLaunchPermission $Demo.TwoSnapshots -OrganizationalUnitArn $Demo.FinanceOuArn -EndpointUrl $Endpoint
            Revoke-AmiLaunchPermission $Demo.TwoSnapshots -Principal ou-ab12-22222222 -EndpointUrl $Endpoint
            Get-Principal $Demo.TwoSnapshots | Should -BeNullOrEmpty
        }

        It 'takes with -IncludeKmsKey only that account out of the AmiShare key statement' {
            Grant-AmiLaunchPermission $Demo.CmkEncrypted -AccountId 111122223333, 444455556666 -IncludeKmsKey -EndpointUrl $Endpoint
            $before = @(($(Get-KeyPolicy) | ConvertFrom-Json).Statement)
            Revoke-AmiLaunchPermission $Demo.CmkEncrypted -AccountId 111122223333 -IncludeKmsKey -EndpointUrl $Endpoint
            $after = @(($(Get-KeyPolicy) | ConvertFrom-Json).Statement)
            @(($after | Where-Object Sid -EQ 'AmiShareAccounts').Principal.AWS) | Should -Be @('arn:aws:iam::444455556666:root')
            (@($after | Where-Object { $_.Sid -notlike 'AmiShare*' }) | ConvertTo-Json -Depth 10) |
                Should -Be (@($before | Where-Object { $_.Sid -notlike 'AmiShare*' }) | ConvertTo-Json -Depth 10)
            Get-Principal $Demo.CmkEncrypted | Should -Be @('444455556666')
        }

        It 'removes the OU statement with -IncludeKmsKey when its last OU goes' {
            Grant-AmiLaunchPermission $Demo.CmkEncrypted -OrganizationalUnitArn $Demo.PlatformOuArn -IncludeKmsKey -EndpointUrl $Endpoint
            Get-KeyPolicy | Should -Match 'AmiShareOrganizationalUnits'
            Revoke-AmiLaunchPermission $Demo.CmkEncrypted -OrganizationalUnitArn $Demo.PlatformOuArn -IncludeKmsKey -EndpointUrl $Endpoint
            Get-KeyPolicy | Should -Not -Match 'AmiShareOrganizationalUnits'
            Get-KeyPolicy | Should -Not -Match 'ou-ab12-33333333'
        }

        It 'leaves the key policy alone without -IncludeKmsKey' {
            Grant-AmiLaunchPermission $Demo.CmkEncrypted -AccountId 111122223333 -IncludeKmsKey -EndpointUrl $Endpoint
            $policy = Get-KeyPolicy
            Revoke-AmiLaunchPermission $Demo.CmkEncrypted -AccountId 111122223333 -EndpointUrl $Endpoint
            Get-KeyPolicy | Should -BeExactly $policy
        }

        It 'takes with -IncludeSnapshot the account out of the snapshot permissions' {
            Grant-AmiLaunchPermission $Demo.TwoSnapshots -AccountId 111122223333, 444455556666 -IncludeSnapshot -EndpointUrl $Endpoint
            Revoke-AmiLaunchPermission $Demo.TwoSnapshots -AccountId 111122223333 -IncludeSnapshot -EndpointUrl $Endpoint
            foreach ($snapshot in 'snap-0a1b2c3d4e5f60005', 'snap-0a1b2c3d4e5f60015') {
                Get-SnapshotAccount $snapshot | Should -Be @('444455556666')
            }
        }

        It 'does not warn when nothing else covers the account' {
            Revoke-AmiLaunchPermission $Demo.Unencrypted -AccountId 111122223333 -EndpointUrl $Endpoint `
                -WarningVariable kept -WarningAction SilentlyContinue
            $kept.Count | Should -Be 0
        }

        It 'changes nothing with -WhatIf' {
            $r = Invoke-CapturingHost Revoke-AmiLaunchPermission @{ ImageId = $Demo.Unencrypted; AccountId = '111122223333', '444455556666'; WhatIf = $true; EndpointUrl = $Endpoint }
            @(Get-Principal $Demo.Unencrypted | Sort-Object) | Should -Be @('111122223333', '444455556666')
            Get-AmiShareEmulatorWrite | Should -BeNullOrEmpty
            $r.HostLines.Count | Should -Be 1
            $r.HostLines[0] | Should -BeLike "What if: Performing the operation `"Revoke*111122223333, 444455556666*`" on target `"$($Demo.Unencrypted) (us-east-1)`"."
        }
    }

    Context 'refusals' {
        BeforeAll { Reset-AmiShareEmulator }

        It 'refuses a malformed account id before any call' {
            Clear-AmiShareEmulatorLog
            { Revoke-AmiLaunchPermission $Demo.Unencrypted -AccountId '1111-2222-3333' -EndpointUrl $Endpoint } |
                Should -Throw -ErrorId "InvalidPrincipal,$Id"
            (Get-AmiShareEmulatorLog).Total | Should -Be 0
        }

        It 'refuses a bare OU id when Organizations cannot be read' {
            # The third-party account of the demo world is in no organization.
            { Revoke-AmiLaunchPermission $Demo.NotOwned -Principal ou-ab12-11111111 -EndpointUrl $Endpoint `
                    -AccessKey AKIAAMISHARETHIRD0001 -SecretKey third-secret -ErrorAction Stop } |
                Should -Throw -ErrorId "InvalidPrincipal,$Id"
        }

        It 'refuses a call without any principal' {
            { Revoke-AmiLaunchPermission $Demo.Unencrypted -EndpointUrl $Endpoint } |
                Should -Throw -ErrorId "MissingPrincipal,$Id"
        }

        It 'stops with AmiNotFound for an unknown AMI under -ErrorAction Stop' {
            { Revoke-AmiLaunchPermission $Demo.Missing -AccountId 111122223333 -EndpointUrl $Endpoint -ErrorAction Stop } |
                Should -Throw -ErrorId "AmiNotFound,$Id"
        }

        It 'writes AmiNotOwned for an AMI of another account' {
            Revoke-AmiLaunchPermission $Demo.NotOwned -Principal all -EndpointUrl $Endpoint -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeExactly "AmiNotOwned,$Id"
        }
    }
}

Describe 'Revoke-AmiLaunchPermission -CheckUsage' -Tag CI {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'UsageWorld.psm1') -Force
        # 999988887777 runs an instance of the unencrypted AMI; 444455556666's instance of it is terminated;
        # 111122223333 has a launch template on the two-snapshot AMI.
        $script:UsageEndpoint = Start-AmiShareUsageEmulator -Usage @(
            (New-AmiShareUsage -Account 999988887777 -ImageId $Demo.Unencrypted),
            (New-AmiShareUsage -Account 444455556666 -ImageId $Demo.Unencrypted -State terminated),
            (New-AmiShareUsage -Account 111122223333 -ImageId $Demo.TwoSnapshots -LaunchTemplate))
    }

    AfterAll {
        # Back to the plain demo world for anything after this block.
        $script:Endpoint = (Start-AmiShareEmulator).EndpointUrl
    }

    BeforeEach {
        Reset-AmiShareEmulator
        Grant-AmiLaunchPermission $Demo.Unencrypted -AccountId 999988887777, 444455556666 -EndpointUrl $UsageEndpoint
        Grant-AmiLaunchPermission $Demo.TwoSnapshots -AccountId 111122223333 -EndpointUrl $UsageEndpoint
        Clear-AmiShareEmulatorLog
    }

    It 'refuses to remove an account with a running instance, naming it and the count, and writes nothing' {
        Revoke-AmiLaunchPermission $Demo.Unencrypted -AccountId 999988887777 -CheckUsage -EndpointUrl $UsageEndpoint -ErrorVariable err -ErrorAction SilentlyContinue

        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeExactly "AmiInUse,$Id"
        "$err" | Should -Match "999988887777 has 1 instance and 0 launch templates using $($Demo.Unencrypted)"
        $err[0].ErrorDetails.RecommendedAction | Should -Match '-Force'
        Get-AmiShareEmulatorWrite | Should -BeNullOrEmpty
        @(Get-Principal $Demo.Unencrypted | Sort-Object) | Should -Be @('444455556666', '999988887777')
    }

    It 'removes it with -Force, and says who still uses the AMI' {
        Revoke-AmiLaunchPermission $Demo.Unencrypted -AccountId 999988887777 -CheckUsage -Force -EndpointUrl $UsageEndpoint -WarningVariable warned -WarningAction SilentlyContinue

        @(Get-AmiShareEmulatorWrite) | Should -Be @('ModifyImageAttribute')
        Get-Principal $Demo.Unencrypted | Should -Be @('444455556666')
        "$warned" | Should -Match '999988887777 has 1 instance'
    }

    It 'does not count a terminated instance' {
        Revoke-AmiLaunchPermission $Demo.Unencrypted -AccountId 444455556666 -CheckUsage -EndpointUrl $UsageEndpoint

        Get-Principal $Demo.Unencrypted | Should -Be @('999988887777')
    }

    It 'refuses for a launch template, and goes on with the other AMIs' {
        $Demo.TwoSnapshots, $Demo.Unencrypted |
            Revoke-AmiLaunchPermission -AccountId 111122223333, 444455556666 -CheckUsage -EndpointUrl $UsageEndpoint -ErrorVariable err -ErrorAction SilentlyContinue

        $err.Count | Should -Be 1
        "$err" | Should -Match "111122223333 has 0 instances and 1 launch template using $($Demo.TwoSnapshots)"
        Get-Principal $Demo.TwoSnapshots | Should -Be @('111122223333')
        Get-Principal $Demo.Unencrypted | Should -Be @('999988887777')
    }

    It 'shows the refusal under -WhatIf' {
        { Revoke-AmiLaunchPermission $Demo.Unencrypted -AccountId 999988887777 -CheckUsage -WhatIf -EndpointUrl $UsageEndpoint -ErrorAction Stop } |
            Should -Throw -ErrorId "AmiInUse,$Id"
        Get-AmiShareEmulatorWrite | Should -BeNullOrEmpty
    }

    It 'reads no usage report without -CheckUsage' {
        Revoke-AmiLaunchPermission $Demo.Unencrypted -AccountId 999988887777 -EndpointUrl $UsageEndpoint

        @((Get-AmiShareEmulatorLog).Entries | Where-Object { $_.action -like '*ImageUsageReport*' }) | Should -BeNullOrEmpty
        Get-Principal $Demo.Unencrypted | Should -Be @('444455556666')
    }
}
