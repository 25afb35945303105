# Copy-SharedAmi against the emulator's demo world (see TestHelpers.psm1), as the member account 111122223333 with its
# own access key and its own key alias/consumer-cmk (us-east-1, us-west-2); the owner 123456789012 shares with the
# environment's credentials.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $ProgressPreference = 'SilentlyContinue'   # the per-region progress bars are not what these tests check
    Set-AmiShareTestEnvironment
    Import-AmiShareModule
    $script:Demo = Get-AmiShareDemo
    $script:Endpoint = (Start-AmiShareEmulator).EndpointUrl
    $script:Id = 'AmiShare.Commands.CopySharedAmiCommand'
    $script:AsMember = @{ AccessKey = 'AKIAAMISHARECONSUMER1'; SecretKey = 'consumer-secret'; EndpointUrl = $Endpoint }
    $script:MemberKeys = @{
        'us-east-1' = 'arn:aws:kms:us-east-1:111122223333:key/c0c0c0c0-1111-4222-8333-0000000000e1'
        'us-west-2' = 'arn:aws:kms:us-west-2:111122223333:key/c0c0c0c0-1111-4222-8333-0000000000a2'
    }
    $env:AMISHARE_COPY_POLL_SECONDS = '0.05'
    function Get-CopyImageCount { [int] (Get-AmiShareEmulatorLog).Counts['CopyImage'] }
}

AfterAll {
    Remove-Item Env:AMISHARE_COPY_POLL_SECONDS -ErrorAction SilentlyContinue
    Stop-AmiShareEmulator
    Restore-AmiShareTestEnvironment
}

Describe 'Copy-SharedAmi' -Tag CI {
    BeforeEach { Reset-AmiShareEmulator }

    Context 'the owner has granted launch permission, key and snapshot' {
        BeforeEach {
            Grant-AmiLaunchPermission $Demo.CmkEncrypted -AccountId $Demo.ConsumerAccount -IncludeKmsKey -IncludeSnapshot -EndpointUrl $Endpoint
            Clear-AmiShareEmulatorLog
        }

        It 'copies into the member account, encrypted with the member''s key per region, tagged with its source' {
            $rows = @(Copy-SharedAmi $Demo.CmkEncrypted -Region us-east-1, us-west-2 -KmsKeyId alias/consumer-cmk @AsMember)

            $rows.Count | Should -Be 2
            $rows[0].PSObject.TypeNames | Should -Contain 'AmiShare.AmiSharedCopy'
            $rows.Action | Should -Be @('Created', 'Created')
            Get-CopyImageCount | Should -Be 2
            $state = Get-AmiShareEmulatorState
            foreach ($row in $rows) {
                $image = @($state.images | Where-Object { $_.imageId -eq $row.ImageId -and $_.region -eq $row.Region })
                $image.Count | Should -Be 1
                $image[0].ownerId | Should -Be $Demo.ConsumerAccount
                $image[0].sourceImageId | Should -Be $Demo.CmkEncrypted
                $snapshot = @($state.snapshots | Where-Object { $_.snapshotId -eq $image[0].snapshotIds[0] })
                $snapshot[0].ownerId | Should -Be $Demo.ConsumerAccount
                $snapshot[0].encrypted | Should -BeTrue
                $snapshot[0].kmsKeyId | Should -Be $MemberKeys[$row.Region]
                $row.KmsKeyId | Should -Be $MemberKeys[$row.Region]
            }

            # The rerun finds the copies by their amishare:source tag (DescribeImages Owner=self, tag filter): no CopyImage.
            Clear-AmiShareEmulatorLog
            $again = @(Copy-SharedAmi $Demo.CmkEncrypted -Region us-east-1, us-west-2 -KmsKeyId alias/consumer-cmk @AsMember)
            $again.ImageId | Should -Be $rows.ImageId
            $again.Action | Should -Be @('Reused', 'Reused')
            Get-CopyImageCount | Should -Be 0
        }

        It 'takes Get-AmiSharedWithMe rows from the pipeline, each into its own region' {
            $rows = @(Get-AmiSharedWithMe @AsMember | Where-Object CanCopy | Copy-SharedAmi -KmsKeyId alias/consumer-cmk @AsMember)
            $rows.Count | Should -Be 1
            $rows[0].SourceImageId | Should -Be $Demo.CmkEncrypted
            $rows[0].Region | Should -Be 'us-east-1'
            $rows[0].KmsKeyId | Should -Be $MemberKeys['us-east-1']
        }

        It 'shows the plan with -WhatIf and copies nothing' {
            $r = Invoke-CapturingHost Copy-SharedAmi @{ ImageId = $Demo.CmkEncrypted; Region = 'us-west-2'; KmsKeyId = 'alias/consumer-cmk'; WhatIf = $true; AccessKey = 'AKIAAMISHARECONSUMER1'; SecretKey = 'consumer-secret'; EndpointUrl = $Endpoint }
            ($r.HostLines -join "`n") | Should -BeLike "*CopyImage us-east-1/$($Demo.CmkEncrypted) to us-west-2 as 'app-server-cmk', encrypted with $($MemberKeys['us-west-2'])*"
            Get-CopyImageCount | Should -Be 0
        }

        It 'shows an 80-column table grouped by source, and exports cleanly with Export-Csv' {
            $rows = @(Copy-SharedAmi $Demo.CmkEncrypted -KmsKeyId alias/consumer-cmk @AsMember)
            $text = $rows | Out-String -Width 80
            $text | Should -Match "Source: $($Demo.CmkEncrypted) \(us-east-1, owner $($Demo.OwnerAccount)\)"
            $text | Should -Match 'Region\s+ImageId\s+State\s+Action\s+KmsKey'
            $text | Should -Match "us-east-1\s+$($rows[0].ImageId)\s+available\s+Created\s+c0c0c0c0"
            $file = Join-Path $TestDrive 'copies.csv'
            $rows | Export-Csv $file -NoTypeInformation
            $back = @(Import-Csv $file)
            $back[0].ImageId | Should -Be $rows[0].ImageId
            $back[0].KmsKeyId | Should -Be $MemberKeys['us-east-1']
            $back[0].Changes | Should -Be '1'
        }

        It 'refuses a copy of the encrypted AMI that would land on aws/ebs' {
            { Copy-SharedAmi $Demo.CmkEncrypted -Region us-west-2 @AsMember -ErrorAction Stop } |
                Should -Throw -ErrorId "CopyWouldUseAwsManagedKey,$Id"
            Get-CopyImageCount | Should -Be 0
        }
    }

    It 'refuses before CopyImage, with the exact grant, when the owner has not shared the snapshot' {
        Grant-AmiLaunchPermission $Demo.CmkEncrypted -AccountId $Demo.ConsumerAccount -IncludeKmsKey -EndpointUrl $Endpoint
        Clear-AmiShareEmulatorLog

        Copy-SharedAmi $Demo.CmkEncrypted -KmsKeyId alias/consumer-cmk @AsMember -ErrorVariable err -ErrorAction SilentlyContinue

        $err[0].FullyQualifiedErrorId | Should -Be "SharedSnapshotNotRestorable,$Id"
        $err[0].ErrorDetails.RecommendedAction | Should -BeLike "*Grant-AmiLaunchPermission -ImageId $($Demo.CmkEncrypted) -AccountId $($Demo.ConsumerAccount) -IncludeSnapshot -Region us-east-1*"
        $err[0].ErrorDetails.RecommendedAction | Should -BeLike '*aws ec2 modify-snapshot-attribute --snapshot-id snap-0a1b2c3d4e5f60002 --attribute createVolumePermission --operation-type add --user-ids 111122223333*'
        Get-CopyImageCount | Should -Be 0
    }

    It 'refuses, naming the key and the permissions, when the member can''t use the owner''s key' {
        Grant-AmiLaunchPermission $Demo.CmkEncrypted -AccountId $Demo.ConsumerAccount -IncludeSnapshot -EndpointUrl $Endpoint -WarningAction SilentlyContinue
        Clear-AmiShareEmulatorLog

        Copy-SharedAmi $Demo.CmkEncrypted -KmsKeyId alias/consumer-cmk @AsMember -ErrorVariable err -ErrorAction SilentlyContinue

        $err[0].FullyQualifiedErrorId | Should -Be "SharedKeyNotUsable,$Id"
        $err[0].Exception.Message | Should -BeLike "*arn:aws:kms:us-east-1:123456789012:key/$($Demo.CmkKeyId)*"
        $err[0].ErrorDetails.RecommendedAction | Should -BeLike '*kms:DescribeKey, kms:ReEncrypt`*, kms:CreateGrant and kms:Decrypt*'
        Get-CopyImageCount | Should -Be 0
    }

    It 'refuses an AMI not shared with the member, naming the launch permission to ask for' {
        { Copy-SharedAmi $Demo.Unencrypted @AsMember -ErrorAction Stop } | Should -Throw -ErrorId "SharedAmiNotFound,$Id"
        Get-CopyImageCount | Should -Be 0
    }

    It 'has help with examples' {
        $help = Get-Help Copy-SharedAmi -Full
        @($help.examples.example).Count | Should -BeGreaterThan 2
        $help.Synopsis | Should -Match 'copy'
    }
}
