# Get-AmiLaunchPermission against the emulator's demo world (see TestHelpers.psm1).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $ProgressPreference = 'SilentlyContinue'   # the cmdlets' progress is not what these tests check
    Set-AmiShareTestEnvironment
    Import-AmiShareModule
    $script:Demo = Get-AmiShareDemo
    $script:Endpoint = (Start-AmiShareEmulator).EndpointUrl
    $script:Id = 'AmiShare.Commands.GetAmiLaunchPermissionCommand'
}

AfterAll {
    Stop-AmiShareEmulator
    Restore-AmiShareTestEnvironment
}

Describe 'Get-AmiLaunchPermission' -Tag CI {
    Context 'listing' {
        # A fresh demo world for every test, so no test depends on another.
        BeforeEach { Reset-AmiShareEmulator }

        It 'writes nothing for an AMI that is not shared' {
            Get-AmiLaunchPermission $Demo.Unencrypted -EndpointUrl $Endpoint | Should -BeNullOrEmpty
        }

        It 'writes one AmiShare.AmiLaunchPermission row per principal, with its type' {
            Grant-AmiLaunchPermission $Demo.Unencrypted -AccountId 111122223333 -OrganizationArn $Demo.OrganizationArn `
                -OrganizationalUnitArn $Demo.FinanceOuArn -EndpointUrl $Endpoint
            $rows = @(Get-AmiLaunchPermission $Demo.Unencrypted -EndpointUrl $Endpoint)
            $rows.Count | Should -Be 3
            $rows[0].PSObject.TypeNames | Should -Contain 'AmiShare.AmiLaunchPermission'
            ($rows | Where-Object Principal -EQ '111122223333').Type | Should -Be 'Account'
            ($rows | Where-Object Principal -EQ $Demo.OrganizationArn).Type | Should -Be 'Organization'
            ($rows | Where-Object Principal -EQ $Demo.FinanceOuArn).Type | Should -Be 'OrganizationalUnit'
        }

        It 'fills ImageId and Region on every row' {
            Grant-AmiLaunchPermission $Demo.Unencrypted -AccountId 111122223333 -EndpointUrl $Endpoint
            $row = Get-AmiLaunchPermission $Demo.Unencrypted -EndpointUrl $Endpoint
            $row.ImageId | Should -Be $Demo.Unencrypted
            $row.Region | Should -Be 'us-east-1'
        }

        It 'shows public access as type Public, principal all' {
            # Set-AmiPublic's deprecation warning is checked in Set-AmiPublic.Tests.ps1.
            Set-AmiPublic $Demo.Unencrypted -Force -EndpointUrl $Endpoint -WarningAction SilentlyContinue
            $row = Get-AmiLaunchPermission $Demo.Unencrypted -EndpointUrl $Endpoint
            $row.Type | Should -Be 'Public'
            $row.Principal | Should -Be 'all'
        }

        It 'takes AMI ids from the pipeline as strings' {
            Grant-AmiLaunchPermission $Demo.Unencrypted, $Demo.TwoSnapshots -AccountId 444455556666 -EndpointUrl $Endpoint
            $rows = @($Demo.Unencrypted, $Demo.TwoSnapshots | Get-AmiLaunchPermission -EndpointUrl $Endpoint)
            @($rows.ImageId) | Should -Be @($Demo.Unencrypted, $Demo.TwoSnapshots)
        }

        It 'takes objects with an ImageId property, as Get-EC2Image writes them' {
            Grant-AmiLaunchPermission $Demo.TwoSnapshots -AccountId 444455556666 -EndpointUrl $Endpoint
            $rows = @([pscustomobject]@{ ImageId = $Demo.TwoSnapshots; State = 'available' } | Get-AmiLaunchPermission -EndpointUrl $Endpoint)
            $rows.Principal | Should -Be '444455556666'
        }

        It 'takes Import-Csv rows and reads each in its own region' {
            Grant-AmiLaunchPermission $Demo.EuWest -AccountId 555566667777 -Region eu-west-1 -EndpointUrl $Endpoint
            $csv = Join-Path $TestDrive 'images.csv'
            @('ImageId,Region', "$($Demo.EuWest),eu-west-1") | Set-Content -LiteralPath $csv
            $row = Import-Csv -LiteralPath $csv | Get-AmiLaunchPermission -EndpointUrl $Endpoint
            $row.Region | Should -Be 'eu-west-1'
            $row.Principal | Should -Be '555566667777'
        }

        It 'exports rows that import back into Grant-AmiLaunchPermission' {
            Grant-AmiLaunchPermission $Demo.Unencrypted -AccountId 111122223333, 444455556666 -EndpointUrl $Endpoint
            $csv = Join-Path $TestDrive 'audit.csv'
            Get-AmiLaunchPermission $Demo.Unencrypted -EndpointUrl $Endpoint | Export-Csv -LiteralPath $csv -NoTypeInformation
            Reset-AmiLaunchPermission $Demo.Unencrypted -Force -EndpointUrl $Endpoint
            Import-Csv -LiteralPath $csv | Grant-AmiLaunchPermission -EndpointUrl $Endpoint
            @(Get-AmiLaunchPermission $Demo.Unencrypted -EndpointUrl $Endpoint).Count | Should -Be 2
        }
    }

    Context 'endpoint' {
        BeforeAll { Reset-AmiShareEmulator }

        It 'reads the endpoint from AWS_ENDPOINT_URL' {
            try {
                $env:AWS_ENDPOINT_URL = $Endpoint
                Get-AmiLaunchPermission $Demo.Unencrypted -ErrorAction Stop | Should -BeNullOrEmpty
            }
            finally {
                $env:AWS_ENDPOINT_URL = $null
            }
        }

        It 'takes the endpoint from $PSDefaultParameterValues, as the README shows' {
            $PSDefaultParameterValues = @{ '*-Ami*:EndpointUrl' = $Endpoint }
            Grant-AmiLaunchPermission $Demo.TwoSnapshots -AccountId 555566667777
            (Get-AmiLaunchPermission $Demo.TwoSnapshots).Principal | Should -Be '555566667777'
        }

        It 'stops with InvalidEndpointUrl for a URL that is not http or https' {
            { Get-AmiLaunchPermission $Demo.Unencrypted -EndpointUrl 'ftp://127.0.0.1:1' } |
                Should -Throw -ErrorId "InvalidEndpointUrl,$Id"
        }
    }

    Context 'errors' {
        BeforeAll { Reset-AmiShareEmulator }

        It 'writes AmiNotOwned for an AMI of another account and goes on with the others' {
            Grant-AmiLaunchPermission $Demo.TwoSnapshots -AccountId 111122223333 -EndpointUrl $Endpoint
            $rows = @(Get-AmiLaunchPermission $Demo.NotOwned, $Demo.TwoSnapshots -EndpointUrl $Endpoint `
                    -ErrorVariable err -ErrorAction SilentlyContinue)
            $err[0].FullyQualifiedErrorId | Should -BeExactly "AmiNotOwned,$Id"
            $rows.ImageId | Should -Be $Demo.TwoSnapshots
        }

        It 'stops with AmiNotFound for an unknown AMI under -ErrorAction Stop' {
            { Get-AmiLaunchPermission $Demo.Missing -EndpointUrl $Endpoint -ErrorAction Stop } |
                Should -Throw -ErrorId "AmiNotFound,$Id"
        }

        It 'writes InvalidImageId for a malformed AMI id' {
            Get-AmiLaunchPermission 'i-0123456789abcdef0' -EndpointUrl $Endpoint -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeExactly "InvalidImageId,$Id"
        }

        It 'gives an empty -ImageId a non-terminating InvalidImageId and calls nothing' {
            Clear-AmiShareEmulatorLog
            Get-AmiLaunchPermission -ImageId '' -EndpointUrl $Endpoint -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeExactly "InvalidImageId,$Id"
            $err[0].Exception.Message | Should -BeLike "*image id '' is not a valid AMI id*"
            (Get-AmiShareEmulatorLog).Total | Should -Be 0
        }

        It 'stops with NoRegion when no region can be found' {
            $saved = $env:AWS_REGION
            try {
                $env:AWS_REGION = $null
                { Get-AmiLaunchPermission $Demo.Unencrypted -EndpointUrl $Endpoint } | Should -Throw -ErrorId "NoRegion,$Id"
            }
            finally {
                $env:AWS_REGION = $saved
            }
        }

        It 'stops with NoCredentials when no credentials can be found' {
            $savedKey = $env:AWS_ACCESS_KEY_ID
            $savedSecret = $env:AWS_SECRET_ACCESS_KEY
            try {
                $env:AWS_ACCESS_KEY_ID = $null
                $env:AWS_SECRET_ACCESS_KEY = $null
                { Get-AmiLaunchPermission $Demo.Unencrypted -EndpointUrl $Endpoint } | Should -Throw -ErrorId "NoCredentials,$Id"
            }
            finally {
                $env:AWS_ACCESS_KEY_ID = $savedKey
                $env:AWS_SECRET_ACCESS_KEY = $savedSecret
            }
        }

        It 'stops with ProfileNotFound for an unknown -ProfileName and does not fall back' {
            { Get-AmiLaunchPermission $Demo.Unencrypted -ProfileName 'amishare-no-such-profile' -EndpointUrl $Endpoint } |
                Should -Throw -ErrorId "ProfileNotFound,$Id"
        }

        It 'uses explicit keys before the environment' {
            # The consumer account does not own the AMI, so using its keys proves they were used.
            { Get-AmiLaunchPermission $Demo.Unencrypted -AccessKey AKIAAMISHARECONSUMER1 -SecretKey consumer-secret -EndpointUrl $Endpoint -ErrorAction Stop } |
                Should -Throw -ErrorId "AmiNotOwned,$Id"
        }

        It 'refuses -AccessKey without -SecretKey' {
            { Get-AmiLaunchPermission $Demo.Unencrypted -AccessKey AKIAAMISHARECONSUMER1 -EndpointUrl $Endpoint } |
                Should -Throw -ErrorId "ConflictingCredentialParameters,$Id"
        }
    }
}
