<#
.SYNOPSIS
    A walk through AmiShare: share AMIs with accounts, organizations and OUs, make them public and
    private, look at who can launch them, revoke and reset — and see each refusal AmiShare makes
    before it would touch AWS.

.DESCRIPTION
    `dotnet run --project src/AmiShare.Sandbox` runs this script against the local emulator's demo
    world (owner account 123456789012, region us-east-1). Against real AWS, run it after
    Set-AWSCredential / Set-DefaultAWSRegion with AMI ids of your own.
    It uses only what the hosted PowerShell engine has (no Write-Host or Format-Table), so the
    tables you see come from the module's format file through Out-Default.
#>

$web      = 'ami-0a1b2c3d4e5f60001'   # unencrypted
$cmk      = 'ami-0a1b2c3d4e5f60002'   # encrypted with a customer managed KMS key
$awsEbs   = 'ami-0a1b2c3d4e5f60003'   # encrypted with the AWS managed key aws/ebs
$market   = 'ami-0a1b2c3d4e5f60004'   # has a Marketplace product code
$agent    = 'ami-0a1b2c3d4e5f60005'   # unencrypted
$euWeb    = 'ami-0a1b2c3d4e5f60006'   # eu-west-1, where block public access is on
$org      = 'arn:aws:organizations::123456789012:organization/o-abc1234567'
$platform = 'arn:aws:organizations::123456789012:ou/o-abc1234567/ou-ab12-33333333'

function Step([string] $Title) {
    ''
    "=== $Title"
}

Step "Share one AMI with one account"
Grant-AmiLaunchPermission -ImageId $web -AccountId 111122223333 -PassThru | Out-Default

Step "Share two AMIs with several accounts: one API call per AMI, whatever the number of accounts"
$web, $agent | Grant-AmiLaunchPermission -AccountId 111122223333, 444455556666 -PassThru | Out-Default

Step "Who can launch them now?"
$web, $agent | Get-AmiLaunchPermission | Out-Default

Step "Run the same grant again: nothing to change, so no write (Changed = False)"
$web, $agent | Grant-AmiLaunchPermission -AccountId 111122223333, 444455556666 -PassThru | Out-Default

Step "-WhatIf shows the real plan and changes nothing"
Grant-AmiLaunchPermission -ImageId $agent -AccountId 555566667777 -WhatIf

Step "Make an AMI public (ConfirmImpact High: -Force skips the prompt), verify, then make it private again"
Set-AmiPublic -ImageId $web -Force -PassThru | Out-Default
Get-AmiLaunchPermission -ImageId $web | Out-Default
Set-AmiPublic -ImageId $web -Public:$false -Force -PassThru | Out-Default

Step "Share with a whole organization, and with an OU given by its bare id (resolved through AWS Organizations)"
Grant-AmiLaunchPermission -ImageId $agent -OrganizationArn $org -PassThru | Out-Default
Grant-AmiLaunchPermission -ImageId $web -Principal ou-ab12-11111111 -PassThru | Out-Default

Step "Revoke an account that the shared OU still covers: EC2 says yes, but access stays (warning)"
Revoke-AmiLaunchPermission -ImageId $web -AccountId 444455556666 -PassThru | Out-Default

Step "Who can launch, and through what? (Test-AmiLaunchAccess reads the OU tree)"
Test-AmiLaunchAccess -ImageId $web -AccountId 111122223333, 444455556666, 555566667777 | Out-Default
Revoke-AmiLaunchPermission -ImageId $web -Principal ou-ab12-11111111 -PassThru | Out-Default

Step "Revoke an account while the whole organization still covers it"
Revoke-AmiLaunchPermission -ImageId $agent -AccountId 444455556666 -PassThru | Out-Default

Step "Revoke everything listed, by piping Get-AmiLaunchPermission into Revoke (one call for the AMI)"
Get-AmiLaunchPermission -ImageId $agent | Revoke-AmiLaunchPermission -PassThru | Out-Default

Step "Reset an AMI's launch permissions: only the owner can launch it afterwards"
Reset-AmiLaunchPermission -ImageId $web -Force -PassThru | Out-Default
Get-AmiLaunchPermission -ImageId $web -Verbose | Out-Default

Step "Encrypted with a customer managed key: what would sharing need? (Test-AmiShareable reads the key policy)"
Test-AmiShareable -ImageId $cmk -AccountId 111122223333 -OrganizationalUnitArn $platform | Out-Default

Step "-WhatIf shows the key-policy statement AmiShare would write (and nothing else it would touch)"
Grant-AmiLaunchPermission -ImageId $cmk -AccountId 111122223333 -OrganizationalUnitArn $platform -IncludeKmsKey -WhatIf

Step "Share it with the key access included, and let the account copy it (snapshot permission)"
Grant-AmiLaunchPermission -ImageId $cmk -AccountId 111122223333 -OrganizationalUnitArn $platform -IncludeKmsKey -IncludeSnapshot -PassThru | Out-Default
Test-AmiShareable -ImageId $cmk -AccountId 111122223333 -Quiet

Step "Take it back, key access and snapshot permission included (only AmiShare's statements change)"
Revoke-AmiLaunchPermission -ImageId $cmk -AccountId 111122223333 -OrganizationalUnitArn $platform -IncludeKmsKey -IncludeSnapshot -PassThru | Out-Default

Step "Can this AMI be public? The checks Set-AmiPublic runs first"
Test-AmiShareable -ImageId $cmk -Public | Out-Default

Step "Refusal: an encrypted AMI can't be public (checked before any write)"
Set-AmiPublic -ImageId $cmk -Force

Step "Refusal: an AMI with a Marketplace product code can't be public"
Set-AmiPublic -ImageId $market -Force

Step "Refusal: block public access is on in eu-west-1"
Set-AmiPublic -ImageId $euWeb -Region eu-west-1 -Force

Step "Refusal: an AMI encrypted with the AWS managed key aws/ebs can't be shared at all"
Grant-AmiLaunchPermission -ImageId $awsEbs -AccountId 111122223333

Step "Refusal: bad principals are rejected before any AWS call, naming the value"
Grant-AmiLaunchPermission -ImageId $web -AccountId 12345
Grant-AmiLaunchPermission -ImageId $web -AccountId 1111222233334
Grant-AmiLaunchPermission -ImageId $web -Principal all

Step "Refusal: a bare organization id can't be resolved by an account outside that organization"
Grant-AmiLaunchPermission -ImageId 'ami-0f0f0f0f0f0f0f0f0' -Principal o-abc1234567 -AccessKey AKIAAMISHARETHIRD0001 -SecretKey third-secret

Step "Refusal: not your AMI, and an AMI that does not exist (one error each; the other AMIs go on)"
'ami-0f0f0f0f0f0f0f0f0', 'ami-00000000000000000', $agent | Grant-AmiLaunchPermission -AccountId 111122223333 -PassThru | Out-Default

Step "Errors carry stable ids for scripts: -ErrorAction SilentlyContinue -ErrorVariable"
Grant-AmiLaunchPermission -ImageId 'ami-00000000000000000' -AccountId 111122223333 -ErrorAction SilentlyContinue -ErrorVariable failed
"Caught: $($failed[0].FullyQualifiedErrorId)"

# ---------------------------------------------------------------------------------------------------
# Distribution (docs/distribution.md): a golden AMI to every region, each copy shared, tagged,
# deprecated and recorded in SSM, in one rerunnable command.
$engineering = 'arn:aws:organizations::123456789012:ou/o-abc1234567/ou-ab12-11111111'

Step "Distribution: publish the golden AMI to us-west-2 and eu-west-1 for the Engineering OU, with a shared tag, a deprecation date and an SSM parameter"
Publish-Ami -ImageId $web -Region us-west-2, eu-west-1 -OrganizationalUnitArn $engineering -SharedTag @{ release = '2026.11' } -DeprecateAfter 365d -SsmParameterName /golden/web/latest | Out-Default

Step "Run it again: the copies are found by their amishare:source tag; no copy, no write"
Publish-Ami -ImageId $web -Region us-west-2, eu-west-1 -OrganizationalUnitArn $engineering -SharedTag @{ release = '2026.11' } -DeprecateAfter 365d -SsmParameterName /golden/web/latest |
    ForEach-Object { "$($_.Region): $($_.ImageId) $($_.Action), $($_.Changes) writes, SSM $($_.SsmParameter), deprecated $($_.DeprecationTime.ToString('yyyy-MM-dd'))" }

Step "A member of the OU can launch the us-west-2 copy (through the OU)"
$west = Publish-Ami -ImageId $web -Region us-west-2 -OrganizationalUnitArn $engineering -SharedTag @{ release = '2026.11' } -DeprecateAfter 365d -SsmParameterName /golden/web/latest
Test-AmiLaunchAccess -ImageId $west.ImageId -Region us-west-2 -AccountId 111122223333 | Out-Default

Step "-WhatIf: the whole plan for another AMI (copy, permissions, deprecation, SSM), nothing written"
Publish-Ami -ImageId $agent -Region eu-west-1 -AccountId 111122223333 -DeprecateAt '2027-06-30' -SsmParameterName /golden/agent/latest -WhatIf

Step "Refusal: the copy of an encrypted AMI would land on aws/ebs in us-west-2 (no key named there), refused before any copy"
Publish-Ami -ImageId $cmk -Region us-west-2 -AccountId 111122223333

Step "The remedy for aws/ebs: re-encrypt in its own region with a customer managed key, share the copy; the source stays unshared"
Publish-Ami -ImageId $awsEbs -Region us-east-1 -KmsKeyId alias/amishare-cmk -AccountId 111122223333 -IncludeKmsKey | Out-Default
"Launch permissions of the aws/ebs source: $(@(Get-AmiLaunchPermission -ImageId $awsEbs).Count)"

# ---------------------------------------------------------------------------------------------------
# Audit (docs/audit.md): who can launch what, everywhere, which of them are outside the organization,
# and who still uses each AMI; then retire a share without cutting off an account that still runs it.
Grant-AmiLaunchPermission -ImageId $agent -AccountId 999988887777, 111122223333

Step "Audit: one row per AMI you own in every enabled region (External = accounts outside the organization)"
Get-AmiShareReport -AllRegions | Out-Default

Step "Who still uses it? -IncludeUsage reads EC2's image usage reports (they can miss the last 24 hours)"
Get-AmiShareReport -ImageId $agent -IncludeUsage | Out-Default

Step "Revoke -CheckUsage refuses to cut off an account that still runs the AMI, naming it (before any write)"
Revoke-AmiLaunchPermission -ImageId $agent -AccountId 999988887777, 111122223333 -CheckUsage

Step "-Force removes it anyway; the usage becomes a warning"
Revoke-AmiLaunchPermission -ImageId $agent -AccountId 999988887777, 111122223333 -CheckUsage -Force -PassThru | Out-Default

# ---------------------------------------------------------------------------------------------------
# Consumers (docs/consumers.md): the member account 111122223333 looks at what is shared with it,
# and takes its own copy, re-encrypted with its own key.
$member = @{ AccessKey = 'AKIAAMISHARECONSUMER1'; SecretKey = 'consumer-secret' }
Grant-AmiLaunchPermission -ImageId $cmk -AccountId 111122223333 -IncludeKmsKey

Step "As the member: what is shared with me, can I use the key, may I copy it?"
Get-AmiSharedWithMe @member | Out-Default

Step "Refusal: Copy-SharedAmi stops before any CopyImage, naming the grant the owner must make"
Copy-SharedAmi -ImageId $cmk -KmsKeyId alias/consumer-cmk @member

Step "The owner makes that grant; the member copies it to two regions, re-encrypted with its own key"
Grant-AmiLaunchPermission -ImageId $cmk -AccountId 111122223333 -IncludeSnapshot
Copy-SharedAmi -ImageId $cmk -Region us-east-1, us-west-2 -KmsKeyId alias/consumer-cmk @member | Out-Default

Step "Run it again: the copies are found by their amishare:source tag (Reused, no CopyImage)"
Copy-SharedAmi -ImageId $cmk -Region us-east-1, us-west-2 -KmsKeyId alias/consumer-cmk @member |
    ForEach-Object { "$($_.Region): $($_.ImageId) $($_.Action)" }
