# Revoke-AmiLaunchPermission against the emulator's demo world (see TestHelpers.psm1).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Set-AmiShareTestEnvironment
    Import-AmiShareModule
    $script:Demo = Get-AmiShareDemo
    $script:Endpoint = (Start-AmiShareEmulator).EndpointUrl
    $script:Id = 'AmiShare.Commands.RevokeAmiLaunchPermissionCommand'

    function Get-Principal([string] $ImageId) {
        @(Get-AmiLaunchPermission -ImageId $ImageId -EndpointUrl $script:Endpoint | ForEach-Object { $_.Principal })
    }
}

AfterAll {
    Stop-AmiShareEmulator
    Restore-AmiShareTestEnvironment
}

Describe 'Revoke-AmiLaunchPermission' -Tag CI {
    Context 'revoking' {
        # A fresh demo world for every test, so no test depends on another.
        BeforeEach {
            $script:Endpoint = (Start-AmiShareEmulator).EndpointUrl
            Grant-AmiLaunchPermission $Demo.Unencrypted -AccountId 111122223333, 444455556666 -EndpointUrl $script:Endpoint
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
            Set-AmiPublic $Demo.Unencrypted -Force -EndpointUrl $Endpoint
            Revoke-AmiLaunchPermission $Demo.Unencrypted -Principal all -EndpointUrl $Endpoint
            @(Get-Principal $Demo.Unencrypted | Sort-Object) | Should -Be @('111122223333', '444455556666')
        }

        It 'warns when a removed account keeps access through an OU' {
            Grant-AmiLaunchPermission $Demo.Unencrypted -OrganizationalUnitArn $Demo.EngineeringOuArn -EndpointUrl $Endpoint
            Revoke-AmiLaunchPermission $Demo.Unencrypted -AccountId 111122223333 -EndpointUrl $Endpoint `
                -WarningVariable kept -WarningAction SilentlyContinue
            $kept.Count | Should -Be 1
            "$($kept[0])" | Should -Match ([regex]::Escape($Demo.EngineeringOuArn))
            Get-Principal $Demo.Unencrypted | Should -Not -Contain '111122223333'
        }

        It 'does not warn when nothing else covers the account' {
            Revoke-AmiLaunchPermission $Demo.Unencrypted -AccountId 111122223333 -EndpointUrl $Endpoint `
                -WarningVariable kept -WarningAction SilentlyContinue
            $kept.Count | Should -Be 0
        }

        It 'changes nothing with -WhatIf' {
            Revoke-AmiLaunchPermission $Demo.Unencrypted -AccountId 111122223333, 444455556666 -WhatIf -EndpointUrl $Endpoint
            @(Get-Principal $Demo.Unencrypted | Sort-Object) | Should -Be @('111122223333', '444455556666')
        }
    }

    Context 'refusals' {
        BeforeAll { $script:Endpoint = (Start-AmiShareEmulator).EndpointUrl }

        It 'refuses a malformed account id before any call' {
            { Revoke-AmiLaunchPermission $Demo.Unencrypted -AccountId '1111-2222-3333' -EndpointUrl $Endpoint } |
                Should -Throw -ErrorId "InvalidPrincipal,$Id"
        }

        It 'refuses a bare OU id' {
            { Revoke-AmiLaunchPermission $Demo.Unencrypted -Principal ou-ab12-11111111 -EndpointUrl $Endpoint } |
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
