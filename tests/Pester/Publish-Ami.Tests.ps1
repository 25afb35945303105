# Publish-Ami against the emulator's demo world (see TestHelpers.psm1).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $ProgressPreference = 'SilentlyContinue'   # the per-region progress bars are not what these tests check
    Set-AmiShareTestEnvironment
    Import-AmiShareModule
    $script:Demo = Get-AmiShareDemo
    $script:Endpoint = (Start-AmiShareEmulator).EndpointUrl
    $script:Id = 'AmiShare.Commands.PublishAmiCommand'
    $env:AMISHARE_COPY_POLL_SECONDS = '0.05'

    # Every action that writes, SSM included.
    $script:Writes = @('ModifyImageAttribute', 'ModifySnapshotAttribute', 'CreateTags', 'CopyImage', 'EnableImageDeprecation', 'PutKeyPolicy', 'CreateGrant', 'PutParameter')
    function Get-Write {
        @((Get-AmiShareEmulatorLog).Entries | Where-Object { $script:Writes -contains $_.action } | ForEach-Object { $_.action })
    }
}

AfterAll {
    Remove-Item Env:AMISHARE_COPY_POLL_SECONDS -ErrorAction SilentlyContinue
    Stop-AmiShareEmulator
    Restore-AmiShareTestEnvironment
}

Describe 'Publish-Ami' -Tag CI {
    BeforeEach { Reset-AmiShareEmulator }

    It 'copies to two regions, shares, tags, deprecates and writes the SSM parameter; a rerun writes nothing' {
        $rows = @(Publish-Ami $Demo.Unencrypted -Region us-west-2, eu-west-1 -OrganizationalUnitArn $Demo.EngineeringOuArn `
                -SharedTag @{ release = '2026.11' } -DeprecateAfter 365d -SsmParameterName /golden/web/latest -EndpointUrl $Endpoint)

        $rows.Count | Should -Be 2
        $rows[0].PSObject.TypeNames | Should -Contain 'AmiShare.AmiPublishResult'
        $rows.Region | Should -Be @('us-west-2', 'eu-west-1')
        $rows.Action | Should -Be @('Created', 'Created')
        $state = Get-AmiShareEmulatorState
        foreach ($row in $rows) {
            $image = @($state.images | Where-Object { $_.imageId -eq $row.ImageId -and $_.region -eq $row.Region })
            $image.Count | Should -Be 1
            $image[0].sourceImageId | Should -Be $Demo.Unencrypted
            $image[0].launchPermissions.principal | Should -Be $Demo.EngineeringOuArn
            $parameter = @($state.parameters | Where-Object { $_.region -eq $row.Region -and $_.name -eq '/golden/web/latest' })
            $parameter[0].value | Should -Be $row.ImageId
            $parameter[0].dataType | Should -Be 'aws:ec2:image'
            $row.DeprecationTime | Should -Be ([datetime]::new(2027, 11, 2, 10, 0, 0, [System.DateTimeKind]::Utc))
        }

        Clear-AmiShareEmulatorLog
        $again = @(Publish-Ami $Demo.Unencrypted -Region us-west-2, eu-west-1 -OrganizationalUnitArn $Demo.EngineeringOuArn `
                -SharedTag @{ release = '2026.11' } -DeprecateAfter 365d -SsmParameterName /golden/web/latest -EndpointUrl $Endpoint)
        $again.ImageId | Should -Be $rows.ImageId
        $again.Action | Should -Be @('Reused', 'Reused')
        Get-Write | Should -BeNullOrEmpty
    }

    It 'takes the AMI id from the pipeline by property name' {
        $rows = @([pscustomobject]@{ ImageId = $Demo.Unencrypted; AccountId = $Demo.ConsumerAccount } | Publish-Ami -Region us-west-2 -EndpointUrl $Endpoint)
        $rows.Count | Should -Be 1
        Get-Principal $rows[0].ImageId -Region us-west-2 | Should -Be @($Demo.ConsumerAccount)
    }

    It 're-encrypts an aws/ebs AMI in its own region and shares the copy, never the source' {
        $row = Publish-Ami $Demo.AwsEbsEncrypted -Region us-east-1 -KmsKeyId alias/amishare-cmk -AccountId $Demo.ConsumerAccount -IncludeKmsKey -EndpointUrl $Endpoint
        $row.ImageId | Should -Not -Be $Demo.AwsEbsEncrypted
        $row.KmsKeyId | Should -Be "arn:aws:kms:us-east-1:123456789012:key/$($Demo.CmkKeyId)"
        Get-Principal $row.ImageId | Should -Be @($Demo.ConsumerAccount)
        Get-Principal $Demo.AwsEbsEncrypted | Should -BeNullOrEmpty
    }

    It 'refuses a region whose copy would land on aws/ebs, before any copy' {
        { Publish-Ami $Demo.AwsEbsEncrypted -Region us-west-2 -AccountId $Demo.ConsumerAccount -EndpointUrl $Endpoint -ErrorAction Stop } |
            Should -Throw -ErrorId "CopyWouldUseAwsManagedKey,$Id"
        Get-Write | Should -BeNullOrEmpty
    }

    It 'prints the plan and changes nothing with -WhatIf' {
        $r = Invoke-CapturingHost Publish-Ami @{ ImageId = $Demo.Unencrypted; Region = 'us-west-2'; AccountId = $Demo.ConsumerAccount; SsmParameterName = '/golden/web/latest'; WhatIf = $true; EndpointUrl = $Endpoint }
        $shown = $r.HostLines -join "`n"
        $shown | Should -BeLike "What if: Performing the operation `"Publish AMI*`" on target `"$($Demo.Unencrypted) (us-east-1) to us-west-2`".*"
        $shown | Should -BeLike "*CopyImage us-east-1/$($Demo.Unencrypted) to us-west-2*share with $($Demo.ConsumerAccount)*SSM parameter /golden/web/latest*"
        Get-Write | Should -BeNullOrEmpty
        @((Get-AmiShareEmulatorState).images | Where-Object region -EQ 'us-west-2') | Should -BeNullOrEmpty
    }

    It 'writes a non-terminating AmiNotFound for an unknown AMI and goes on with the next' {
        $rows = @(Publish-Ami $Demo.Missing, $Demo.Unencrypted -Region us-west-2 -EndpointUrl $Endpoint -ErrorVariable err -ErrorAction SilentlyContinue)
        $err[0].FullyQualifiedErrorId | Should -BeExactly "AmiNotFound,$Id"
        $rows.SourceImageId | Should -Be @($Demo.Unencrypted)
    }

    It 'refuses a key table naming a region that is not a target' {
        { Publish-Ami $Demo.Unencrypted -Region us-west-2 -KmsKeyId @{ 'eu-west-1' = 'alias/x' } -EndpointUrl $Endpoint -ErrorAction Stop } |
            Should -Throw -ErrorId "KmsKeyRegionNotInTargets,$Id"
        (Get-AmiShareEmulatorLog).Total | Should -Be 0
    }

    It 'rejects a timeout of 0' {
        { Publish-Ami $Demo.Unencrypted -Region us-west-2 -TimeoutSec 0 -EndpointUrl $Endpoint } |
            Should -Throw -ErrorId "ParameterArgumentValidationError,$Id"
    }
}
