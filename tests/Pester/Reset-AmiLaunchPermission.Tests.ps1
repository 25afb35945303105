# Reset-AmiLaunchPermission against the emulator's demo world (see TestHelpers.psm1).
# ConfirmImpact is High, so every call that should change something passes -Force or -Confirm:$false.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $ProgressPreference = 'SilentlyContinue'   # the cmdlets' progress is not what these tests check
    Set-AmiShareTestEnvironment
    Import-AmiShareModule
    $script:Demo = Get-AmiShareDemo
    $script:Endpoint = (Start-AmiShareEmulator).EndpointUrl
    $script:Id = 'AmiShare.Commands.ResetAmiLaunchPermissionCommand'
}

AfterAll {
    Stop-AmiShareEmulator
    Restore-AmiShareTestEnvironment
}

Describe 'Reset-AmiLaunchPermission' -Tag CI {
    Context 'resetting' {
        # A fresh demo world for every test, with accounts, an organization and public access on one AMI.
        BeforeEach {
            Reset-AmiShareEmulator
            Grant-AmiLaunchPermission $Demo.Unencrypted -AccountId 111122223333 -OrganizationArn $Demo.OrganizationArn -EndpointUrl $script:Endpoint
            Set-AmiPublic $Demo.Unencrypted -Force -EndpointUrl $script:Endpoint -WarningAction SilentlyContinue
            Clear-AmiShareEmulatorLog
        }

        It 'removes every launch permission with -Force' {
            Reset-AmiLaunchPermission $Demo.Unencrypted -Force -EndpointUrl $Endpoint
            Get-Principal $Demo.Unencrypted | Should -BeNullOrEmpty
        }

        It 'removes every launch permission with -Confirm:$false' {
            Reset-AmiLaunchPermission $Demo.Unencrypted -Confirm:$false -EndpointUrl $Endpoint
            Get-Principal $Demo.Unencrypted | Should -BeNullOrEmpty
        }

        It 'reports what it removed with -PassThru' {
            $r = Reset-AmiLaunchPermission $Demo.Unencrypted -Force -PassThru -EndpointUrl $Endpoint
            $r.Operation | Should -Be 'Reset'
            $r.Changed | Should -BeTrue
            @($r.Removed | Sort-Object) | Should -Be @(@('111122223333', 'all', $Demo.OrganizationArn) | Sort-Object)
            @($r.LaunchPermissions) | Should -BeNullOrEmpty
        }

        It 'makes no write for an AMI without launch permissions' {
            $r = Reset-AmiLaunchPermission $Demo.TwoSnapshots -Force -PassThru -EndpointUrl $Endpoint
            $r.Changed | Should -BeFalse
            Get-AmiShareEmulatorWrite | Should -BeNullOrEmpty
        }

        It 'takes AMI ids from the pipeline as strings' {
            Grant-AmiLaunchPermission $Demo.TwoSnapshots -AccountId 444455556666 -EndpointUrl $Endpoint
            $Demo.Unencrypted, $Demo.TwoSnapshots | Reset-AmiLaunchPermission -Force -EndpointUrl $Endpoint
            Get-Principal $Demo.Unencrypted | Should -BeNullOrEmpty
            Get-Principal $Demo.TwoSnapshots | Should -BeNullOrEmpty
        }

        It 'resets the AMIs of a file and gives its blank lines InvalidImageId (docs Example 4)' {
            $file = Join-Path ([IO.Path]::GetTempPath()) ('amishare-retired-' + [Guid]::NewGuid().ToString('N') + '.txt')
            try {
                Set-Content -LiteralPath $file -Value @($Demo.Unencrypted, '', '   ')
                Get-Content -LiteralPath $file | Reset-AmiLaunchPermission -Force -EndpointUrl $Endpoint -ErrorVariable err -ErrorAction SilentlyContinue
                @($err | ForEach-Object FullyQualifiedErrorId) | Should -Be @("InvalidImageId,$Id", "InvalidImageId,$Id")
                Get-Principal $Demo.Unencrypted | Should -BeNullOrEmpty
            }
            finally {
                Remove-Item -LiteralPath $file -Force -ErrorAction SilentlyContinue
            }
        }

        It 'takes objects with an ImageId property' {
            [pscustomobject]@{ ImageId = $Demo.Unencrypted } | Reset-AmiLaunchPermission -Force -EndpointUrl $Endpoint
            Get-Principal $Demo.Unencrypted | Should -BeNullOrEmpty
        }

        It 'changes nothing with -WhatIf' {
            $r = Invoke-CapturingHost Reset-AmiLaunchPermission @{ ImageId = $Demo.Unencrypted; WhatIf = $true; EndpointUrl = $Endpoint }
            @(Get-Principal $Demo.Unencrypted).Count | Should -Be 3
            Get-AmiShareEmulatorWrite | Should -BeNullOrEmpty
            $r.HostLines.Count | Should -Be 1
            $r.HostLines[0] | Should -BeLike "What if: Performing the operation `"Reset*111122223333, $($Demo.OrganizationArn), all*`" on target `"$($Demo.Unencrypted) (us-east-1)`"."
        }

        It 'changes nothing with -WhatIf, even with -Force' {
            $r = Invoke-CapturingHost Reset-AmiLaunchPermission @{ ImageId = $Demo.Unencrypted; WhatIf = $true; Force = $true; EndpointUrl = $Endpoint }
            @(Get-Principal $Demo.Unencrypted).Count | Should -Be 3
            Get-AmiShareEmulatorWrite | Should -BeNullOrEmpty
            $r.HostLines.Count | Should -Be 1
            $r.HostLines[0] | Should -BeLike "What if: Performing the operation `"Reset*111122223333, $($Demo.OrganizationArn), all*`" on target `"$($Demo.Unencrypted) (us-east-1)`"."
        }
    }

    Context 'errors' {
        BeforeAll { Reset-AmiShareEmulator }

        It 'writes AmiNotOwned for an AMI of another account and goes on with the others' {
            Grant-AmiLaunchPermission $Demo.TwoSnapshots -AccountId 444455556666 -EndpointUrl $Endpoint
            Reset-AmiLaunchPermission $Demo.NotOwned, $Demo.TwoSnapshots -Force -EndpointUrl $Endpoint -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeExactly "AmiNotOwned,$Id"
            Get-Principal $Demo.TwoSnapshots | Should -BeNullOrEmpty
        }

        It 'stops with AmiNotFound for an unknown AMI under -ErrorAction Stop' {
            { Reset-AmiLaunchPermission $Demo.Missing -Force -EndpointUrl $Endpoint -ErrorAction Stop } |
                Should -Throw -ErrorId "AmiNotFound,$Id"
        }

        It 'gives an empty -ImageId a non-terminating InvalidImageId and calls nothing' {
            Clear-AmiShareEmulatorLog
            Reset-AmiLaunchPermission -ImageId '' -Force -EndpointUrl $Endpoint -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeExactly "InvalidImageId,$Id"
            $err[0].Exception.Message | Should -BeLike "*image id '' is not a valid AMI id*"
            (Get-AmiShareEmulatorLog).Total | Should -Be 0
        }
    }
}

Describe 'Reset-AmiLaunchPermission -CheckUsage' -Tag CI {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'UsageWorld.psm1') -Force
        $script:UsageEndpoint = Start-AmiShareUsageEmulator -Usage @(New-AmiShareUsage -Account 555566667777 -ImageId $Demo.Unencrypted -LaunchTemplate)
    }

    AfterAll {
        $script:Endpoint = (Start-AmiShareEmulator).EndpointUrl
    }

    It 'refuses to reset an AMI an organization member launches through a launch template; -Force resets it' {
        Reset-AmiShareEmulator
        Grant-AmiLaunchPermission $Demo.Unencrypted -OrganizationArn $Demo.OrganizationArn -EndpointUrl $UsageEndpoint
        Clear-AmiShareEmulatorLog

        Reset-AmiLaunchPermission $Demo.Unencrypted -CheckUsage -Confirm:$false -EndpointUrl $UsageEndpoint -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly "AmiInUse,$Id"
        "$err" | Should -Match "555566667777 has 0 instances and 1 launch template using $($Demo.Unencrypted)"
        Get-AmiShareEmulatorWrite | Should -BeNullOrEmpty

        Reset-AmiLaunchPermission $Demo.Unencrypted -CheckUsage -Force -EndpointUrl $UsageEndpoint -WarningAction SilentlyContinue
        @(Get-AmiShareEmulatorWrite) | Should -Be @('ResetImageAttribute')
        Get-Principal $Demo.Unencrypted | Should -BeNullOrEmpty
    }
}
