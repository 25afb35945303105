# Set-AmiPublic against the emulator's demo world (see TestHelpers.psm1).
# ConfirmImpact is High, so every call that should change something passes -Force or -Confirm:$false.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $ProgressPreference = 'SilentlyContinue'   # the cmdlets' progress is not what these tests check
    Set-AmiShareTestEnvironment
    Import-AmiShareModule
    $script:Demo = Get-AmiShareDemo
    $script:Endpoint = (Start-AmiShareEmulator).EndpointUrl
    $script:Id = 'AmiShare.Commands.SetAmiPublicCommand'

    # Sets the world up as the owner would with AWS.Tools (Add-EC2ImageWatermark, Enable-EC2SnapshotBlockPublicAccess): one
    # EC2 query to the emulator, which takes the account from the credential scope of the Authorization header.
    function Invoke-OwnerEc2Query([string] $Action, [hashtable] $Parameters) {
        $fields = @{ Action = $Action; Version = '2016-11-15' } + $Parameters
        $form = ($fields.GetEnumerator() | ForEach-Object { [uri]::EscapeDataString($_.Key) + '=' + [uri]::EscapeDataString([string] $_.Value) }) -join '&'
        $auth = 'AWS4-HMAC-SHA256 Credential=AKIAAMISHAREOWNER001/20261129/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0'
        Invoke-WebRequest -Uri $script:Endpoint -Method Post -Body $form -ContentType 'application/x-www-form-urlencoded' -Headers @{ Authorization = $auth } -UseBasicParsing | Out-Null
    }

    function Test-Public([string] $ImageId, [string] $Region = 'us-east-1') {
        @(Get-AmiLaunchPermission -ImageId $ImageId -Region $Region -EndpointUrl $script:Endpoint | Where-Object Type -EQ 'Public').Count -gt 0
    }
}

AfterAll {
    Stop-AmiShareEmulator
    Restore-AmiShareTestEnvironment
}

Describe 'Set-AmiPublic' -Tag CI {
    Context 'public and private' {
        # A fresh demo world for every test, so no test depends on another.
        BeforeEach { Reset-AmiShareEmulator }

        It 'makes an AMI public with -Force, warning about the two-year deprecation' {
            Set-AmiPublic $Demo.Unencrypted -Force -EndpointUrl $Endpoint -WarningVariable w -WarningAction SilentlyContinue
            Test-Public $Demo.Unencrypted | Should -BeTrue
            "$w" | Should -Match ([regex]::Escape("$($Demo.Unencrypted) will be deprecated on"))
        }

        It 'makes an AMI public with -Confirm:$false' {
            Set-AmiPublic $Demo.Unencrypted -Confirm:$false -EndpointUrl $Endpoint -WarningAction SilentlyContinue
            Test-Public $Demo.Unencrypted | Should -BeTrue
        }

        It 'reports the change with -PassThru' {
            $r = Set-AmiPublic $Demo.Unencrypted -Force -PassThru -EndpointUrl $Endpoint -WarningAction SilentlyContinue
            $r.Operation | Should -Be 'SetPublic'
            $r.Changed | Should -BeTrue
            @($r.Added) | Should -Be @('all')
        }

        It 'makes no write for an AMI that is already public' {
            Set-AmiPublic $Demo.Unencrypted -Force -EndpointUrl $Endpoint -WarningAction SilentlyContinue
            Clear-AmiShareEmulatorLog
            $r = Set-AmiPublic $Demo.Unencrypted -Force -PassThru -EndpointUrl $Endpoint -WarningAction SilentlyContinue
            $r.Changed | Should -BeFalse
            Get-AmiShareEmulatorWrite | Should -BeNullOrEmpty
        }

        It 'makes an AMI private again with -Public:$false and keeps account permissions' {
            Grant-AmiLaunchPermission $Demo.Unencrypted -AccountId 111122223333 -EndpointUrl $Endpoint
            Set-AmiPublic $Demo.Unencrypted -Force -EndpointUrl $Endpoint -WarningAction SilentlyContinue
            $r = Set-AmiPublic $Demo.Unencrypted -Public:$false -Force -PassThru -EndpointUrl $Endpoint
            $r.Operation | Should -Be 'SetPrivate'
            Test-Public $Demo.Unencrypted | Should -BeFalse
            (Get-AmiLaunchPermission $Demo.Unencrypted -EndpointUrl $Endpoint).Principal | Should -Be '111122223333'
        }

        It 'takes AMI ids from the pipeline as strings' {
            $Demo.Unencrypted, $Demo.TwoSnapshots | Set-AmiPublic -Force -EndpointUrl $Endpoint -WarningVariable w -WarningAction SilentlyContinue
            Test-Public $Demo.Unencrypted | Should -BeTrue
            Test-Public $Demo.TwoSnapshots | Should -BeTrue
            "$w" | Should -Match ([regex]::Escape("$($Demo.TwoSnapshots) will be deprecated on"))
        }

        It 'takes Get-AmiLaunchPermission rows to make public AMIs private' {
            Set-AmiPublic $Demo.Unencrypted, $Demo.TwoSnapshots -Force -EndpointUrl $Endpoint -WarningAction SilentlyContinue
            Get-AmiLaunchPermission $Demo.Unencrypted, $Demo.TwoSnapshots -EndpointUrl $Endpoint |
                Where-Object Type -EQ 'Public' |
                Set-AmiPublic -Public:$false -Force -EndpointUrl $Endpoint
            Test-Public $Demo.Unencrypted | Should -BeFalse
            Test-Public $Demo.TwoSnapshots | Should -BeFalse
        }

        It 'changes nothing with -WhatIf' {
            $r = Invoke-CapturingHost Set-AmiPublic @{ ImageId = $Demo.Unencrypted; WhatIf = $true; EndpointUrl = $Endpoint }
            Test-Public $Demo.Unencrypted | Should -BeFalse
            Get-AmiShareEmulatorWrite | Should -BeNullOrEmpty
            $r.HostLines.Count | Should -Be 1
            $r.HostLines[0] | Should -BeLike "What if: Performing the operation `"*public*all*`" on target `"$($Demo.Unencrypted) (us-east-1)`"."
        }

        It 'changes nothing with -WhatIf, even with -Force' {
            $r = Invoke-CapturingHost Set-AmiPublic @{ ImageId = $Demo.Unencrypted; WhatIf = $true; Force = $true; EndpointUrl = $Endpoint }
            Test-Public $Demo.Unencrypted | Should -BeFalse
            Get-AmiShareEmulatorWrite | Should -BeNullOrEmpty
            $r.HostLines.Count | Should -Be 1
            $r.HostLines[0] | Should -BeLike "What if: Performing the operation `"*public*all*`" on target `"$($Demo.Unencrypted) (us-east-1)`"."
        }

        It 'makes the other AMIs public when one is refused' {
            Set-AmiPublic $Demo.CmkEncrypted, $Demo.Unencrypted -Force -EndpointUrl $Endpoint -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $err.Count | Should -Be 1
            Test-Public $Demo.Unencrypted | Should -BeTrue
        }
    }

    Context 'refusals, checked before any write' {
        BeforeAll { Reset-AmiShareEmulator }

        It 'refuses an AMI with <Case>' -ForEach @(
            @{ Case = 'snapshots encrypted with a customer managed key'; Image = 'ami-0a1b2c3d4e5f60002'; Region = 'us-east-1'; ErrorId = 'EncryptedSnapshotsCannotBePublic' }
            @{ Case = 'snapshots encrypted with aws/ebs'; Image = 'ami-0a1b2c3d4e5f60003'; Region = 'us-east-1'; ErrorId = 'EncryptedSnapshotsCannotBePublic' }
            @{ Case = 'a Marketplace product code'; Image = 'ami-0a1b2c3d4e5f60004'; Region = 'us-east-1'; ErrorId = 'ProductCodesCannotBePublic' }
            @{ Case = 'block public access on in its region'; Image = 'ami-0a1b2c3d4e5f60006'; Region = 'eu-west-1'; ErrorId = 'PublicSharingBlocked' }
            @{ Case = 'another owner'; Image = 'ami-0f0f0f0f0f0f0f0f0'; Region = 'us-east-1'; ErrorId = 'AmiNotOwned' }
        ) {
            Clear-AmiShareEmulatorLog
            Set-AmiPublic $Image -Region $Region -Force -EndpointUrl $Endpoint -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeExactly "$ErrorId,$Id"
            Get-AmiShareEmulatorWrite | Should -BeNullOrEmpty
        }

        It 'leaves a refused AMI private' {
            Set-AmiPublic $Demo.Marketplace -Force -EndpointUrl $Endpoint -ErrorAction SilentlyContinue
            Test-Public $Demo.Marketplace | Should -BeFalse
        }

        It 'says how to fix a refusal in ErrorDetails.RecommendedAction' {
            Set-AmiPublic $Demo.EuWest -Region eu-west-1 -Force -EndpointUrl $Endpoint -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].ErrorDetails.RecommendedAction | Should -Match 'Disable-EC2ImageBlockPublicAccess'
        }

        It 'stops under -ErrorAction Stop' {
            { Set-AmiPublic $Demo.CmkEncrypted -Force -EndpointUrl $Endpoint -ErrorAction Stop } |
                Should -Throw -ErrorId "EncryptedSnapshotsCannotBePublic,$Id"
        }

        It 'stops with AmiNotFound for an unknown AMI under -ErrorAction Stop' {
            { Set-AmiPublic $Demo.Missing -Force -EndpointUrl $Endpoint -ErrorAction Stop } |
                Should -Throw -ErrorId "AmiNotFound,$Id"
        }

        It 'writes InvalidImageId for a malformed AMI id' {
            Set-AmiPublic 'ami-XYZ' -Force -EndpointUrl $Endpoint -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeExactly "InvalidImageId,$Id"
        }
    }

    Context 'watermarks and block public access for snapshots' {
        BeforeEach { Reset-AmiShareEmulator }

        It 'refuses a watermarked AMI with WatermarkedCannotBePublic before any ModifyImageAttribute, and makes the others public' {
            Invoke-OwnerEc2Query AttachImageWatermark @{ ImageId = $Demo.Unencrypted; WatermarkName = 'approved-base' }
            Clear-AmiShareEmulatorLog
            Set-AmiPublic $Demo.Unencrypted, $Demo.TwoSnapshots -Force -EndpointUrl $Endpoint -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeExactly "WatermarkedCannotBePublic,$Id"
            "$($err[0])" | Should -Match ([regex]::Escape("$($Demo.OwnerAccount):approved-base"))
            $err[0].ErrorDetails.RecommendedAction | Should -Match 'DetachImageWatermark'
            Test-Public $Demo.Unencrypted | Should -BeFalse
            Test-Public $Demo.TwoSnapshots | Should -BeTrue
            @(Get-AmiShareEmulatorWrite) | Should -Be @('ModifyImageAttribute')
        }

        It 'makes the snapshots public with -IncludeSnapshot, before the AMI' {
            Set-AmiPublic $Demo.Unencrypted -IncludeSnapshot -Force -EndpointUrl $Endpoint -WarningAction SilentlyContinue
            Test-Public $Demo.Unencrypted | Should -BeTrue
            @(Get-AmiShareEmulatorWrite) | Should -Be @('ModifySnapshotAttribute', 'ModifyImageAttribute')
            $snapshot = (Get-AmiShareEmulatorState).snapshots | Where-Object snapshotId -EQ 'snap-0a1b2c3d4e5f60001'
            @($snapshot.createVolumePermissions | Where-Object type -EQ 'Public').Count | Should -Be 1
        }

        It 'makes the AMIs public but leaves their snapshots under block public access for snapshots, reading the setting once' {
            Invoke-OwnerEc2Query EnableSnapshotBlockPublicAccess @{ State = 'block-all-sharing' }
            Clear-AmiShareEmulatorLog
            Set-AmiPublic $Demo.Unencrypted, $Demo.TwoSnapshots -IncludeSnapshot -Force -EndpointUrl $Endpoint -WarningVariable w -WarningAction SilentlyContinue
            Test-Public $Demo.Unencrypted | Should -BeTrue
            Test-Public $Demo.TwoSnapshots | Should -BeTrue
            @(Get-AmiShareEmulatorWrite) | Should -Be @('ModifyImageAttribute', 'ModifyImageAttribute')
            @($w | Where-Object { "$_" -match 'not copy it' -and "$_" -match 'Disable-EC2SnapshotBlockPublicAccess' }).Count | Should -Be 2
            (Get-AmiShareEmulatorLog).Counts['GetSnapshotBlockPublicAccessState'] | Should -Be 1
        }
    }
}
