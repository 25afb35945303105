# Test-AmiLaunchAccess against the emulator's demo world (see TestHelpers.psm1).
# Demo organization o-abc1234567 (root r-ab12): Engineering ou-ab12-11111111 holds 111122223333 and the
# Platform OU ou-ab12-33333333 (444455556666); Finance ou-ab12-22222222 holds 555566667777.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $ProgressPreference = 'SilentlyContinue'   # the cmdlets' progress is not what these tests check
    Set-AmiShareTestEnvironment
    Import-AmiShareModule
    $script:Demo = Get-AmiShareDemo
    $script:Endpoint = (Start-AmiShareEmulator).EndpointUrl
    $script:Id = 'AmiShare.Commands.TestAmiLaunchAccessCommand'
    $script:EngineeringPath = 'o-abc1234567/r-ab12/ou-ab12-11111111/'
}

AfterAll {
    Stop-AmiShareEmulator
    Restore-AmiShareTestEnvironment
}

Describe 'Test-AmiLaunchAccess' -Tag CI {
    # A fresh demo world for every test, so no test depends on another.
    BeforeEach { Reset-AmiShareEmulator }

    It 'says None for an AMI shared with nobody, and Owner for the owner' {
        $r = @(Test-AmiLaunchAccess $Demo.TwoSnapshots -AccountId 111122223333, 123456789012 -EndpointUrl $Endpoint)
        $r[0].PSObject.TypeNames | Should -Contain 'AmiShare.AmiLaunchAccess'
        $r[0].CanLaunch | Should -BeFalse
        $r[0].Via | Should -Be 'None'
        $r[1].CanLaunch | Should -BeTrue
        $r[1].Via | Should -Be 'Owner'
    }

    It 'says Direct for an account in the launch permissions' {
        Grant-AmiLaunchPermission $Demo.TwoSnapshots -AccountId 555566667777 -EndpointUrl $Endpoint
        $r = Test-AmiLaunchAccess $Demo.TwoSnapshots -AccountId 555566667777 -EndpointUrl $Endpoint
        $r.Via | Should -Be 'Direct'
        $r.Principal | Should -Be '555566667777'
    }

    It 'says OrganizationalUnit with the OU path, for accounts in the OU and in OUs below it' {
        Grant-AmiLaunchPermission $Demo.TwoSnapshots -OrganizationalUnitArn $Demo.EngineeringOuArn -EndpointUrl $Endpoint
        $rows = @(Test-AmiLaunchAccess $Demo.TwoSnapshots -AccountId 111122223333, 444455556666, 555566667777 -EndpointUrl $Endpoint)
        $rows[0].Via | Should -Be 'OrganizationalUnit'
        $rows[0].OuPath | Should -Be $EngineeringPath
        $rows[0].Principal | Should -Be $Demo.EngineeringOuArn
        $rows[1].Via | Should -Be 'OrganizationalUnit'
        $rows[1].OuPath | Should -Be ($EngineeringPath + 'ou-ab12-33333333/')
        $rows[2].Via | Should -Be 'None'
        $rows[2].CanLaunch | Should -BeFalse
    }

    It 'says Organization for a member of a shared organization' {
        Grant-AmiLaunchPermission $Demo.TwoSnapshots -OrganizationArn $Demo.OrganizationArn -EndpointUrl $Endpoint
        (Test-AmiLaunchAccess $Demo.TwoSnapshots -AccountId 555566667777 -EndpointUrl $Endpoint).Via | Should -Be 'Organization'
    }

    It 'says Public for any account when the AMI is public' {
        Set-AmiPublic $Demo.Unencrypted -Force -EndpointUrl $Endpoint -WarningAction SilentlyContinue
        (Test-AmiLaunchAccess $Demo.Unencrypted -AccountId 999988887777 -EndpointUrl $Endpoint).Via | Should -Be 'Public'
    }

    It 'lists every path in AllPaths, most direct first' {
        Grant-AmiLaunchPermission $Demo.TwoSnapshots -Principal 111122223333, $Demo.EngineeringOuArn -EndpointUrl $Endpoint
        $r = Test-AmiLaunchAccess $Demo.TwoSnapshots -AccountId 111122223333 -EndpointUrl $Endpoint
        $r.Via | Should -Be 'Direct'
        $r.AllPaths | Should -Be @('Direct:111122223333', "OrganizationalUnit:$($Demo.EngineeringOuArn)")
    }

    It 'returns booleans with -Quiet' {
        Grant-AmiLaunchPermission $Demo.TwoSnapshots -AccountId 111122223333 -EndpointUrl $Endpoint
        $r = @(Test-AmiLaunchAccess $Demo.TwoSnapshots -AccountId 111122223333, 555566667777 -Quiet -EndpointUrl $Endpoint)
        $r | Should -Be @($true, $false)
    }

    It 'takes AMI ids from the pipeline' {
        Grant-AmiLaunchPermission $Demo.Unencrypted -AccountId 444455556666 -EndpointUrl $Endpoint
        $r = @($Demo.Unencrypted, $Demo.TwoSnapshots | Test-AmiLaunchAccess -AccountId 444455556666 -Quiet -EndpointUrl $Endpoint)
        $r | Should -Be @($true, $false)
    }

    It 'refuses the whole command for a malformed account id among good ones, before any call (as Grant does)' {
        Clear-AmiShareEmulatorLog
        { Test-AmiLaunchAccess $Demo.TwoSnapshots -AccountId 'x', 111122223333 -Quiet -EndpointUrl $Endpoint } |
            Should -Throw -ErrorId "InvalidPrincipal,$Id"
        (Get-AmiShareEmulatorLog).Total | Should -Be 0
    }

    It 'writes AmiNotOwned for an AMI of another account' {
        Test-AmiLaunchAccess $Demo.NotOwned -AccountId 111122223333 -EndpointUrl $Endpoint -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly "AmiNotOwned,$Id"
    }

    It 'makes no write' {
        Test-AmiLaunchAccess $Demo.Unencrypted -AccountId 111122223333 -EndpointUrl $Endpoint | Out-Null
        Get-AmiShareEmulatorWrite | Should -BeNullOrEmpty
        @(Get-AmiLaunchPermission $Demo.Unencrypted -EndpointUrl $Endpoint) | Should -BeNullOrEmpty
    }
}
