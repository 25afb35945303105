# One import-order scenario in a fresh pwsh (IsolationTests.cs starts one per scenario): another
# AWSSDK.Core build, as AWS.Tools brings it, loaded into the default context before or after AmiShare.
# Prints one line '##RESULT## <json>' with what happened; the test asserts on it.
#   -Order CoreFirst   Add-Type the other Core and use it, import AmiShare, Grant with -Credential of the
#                      other Core, use the other Core again
#   -Order AmiShareFirst   import AmiShare, Grant, Add-Type the other Core and use it, Grant again with
#                          $StoredAWSCredentials holding the other Core's credentials
#   -Order ImportOnly  no other Core: import, read metadata and help, Remove-Module, import again, Grant
param(
    [Parameter(Mandatory)] [ValidateSet('CoreFirst', 'AmiShareFirst', 'ImportOnly')] [string] $Order,
    [string] $CorePath,
    [Parameter(Mandatory)] [string] $Manifest,
    [Parameter(Mandatory)] [string] $Endpoint,
    [Parameter(Mandatory)] [string] $ImageId,
    [Parameter(Mandatory)] [string] $Account,
    [string] $SecondAccount
)
$ErrorActionPreference = 'Stop'
$result = [ordered]@{ Order = $Order }
$owner = @{ AccessKey = 'AKIAAMISHAREOWNER001'; SecretKey = 'owner-secret' }
$call = @{ EndpointUrl = $Endpoint; Region = 'us-east-1'; Confirm = $false; PassThru = $true }

function Use-OtherCore([string] $Key) {
    # Types of the other Core resolve by name: it is the only AWSSDK.Core the default context has.
    $credentials = [Amazon.Runtime.BasicAWSCredentials]::new('AKIAOTHERCORE0000001', 'other-secret')
    $result[$Key] = [ordered]@{
        AccessKey = $credentials.GetCredentials().AccessKey
        Region    = [Amazon.RegionEndpoint]::GetBySystemName('eu-west-1').SystemName
        Location  = $credentials.GetType().Assembly.Location
    }
}

function Get-Placement([string] $Name) {
    @(foreach ($context in [System.Runtime.Loader.AssemblyLoadContext]::All) {
        foreach ($assembly in $context.Assemblies) {
            if ($assembly.GetName().Name -eq $Name) { [ordered]@{ Context = $context.Name; Location = $assembly.Location } }
        }
    })
}

function Test-EngineLoaded {
    [bool]([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'AmiShare.Engine' })
}

function Resolve-EngineByName {
    # What the default context answers for AmiShare.Engine: the "AmiShare" context's copy while the module is registered.
    try {
        $engine = [System.Runtime.Loader.AssemblyLoadContext]::Default.LoadFromAssemblyName([System.Reflection.AssemblyName]::new('AmiShare.Engine'))
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($engine).Name
    } catch {
        'not found: ' + $_.Exception.InnerException.GetType().Name
    }
}

switch ($Order) {
    'CoreFirst' {
        Add-Type -Path $CorePath
        Use-OtherCore 'OtherBefore'
        Import-Module $Manifest
        # A credentials object of the other Core, as Get-AWSCredential returns it, is read by duck typing.
        $credential = [Amazon.Runtime.BasicAWSCredentials]::new($owner.AccessKey, $owner.SecretKey)
        $result.Granted = @((Grant-AmiLaunchPermission -ImageId $ImageId -AccountId $Account -Credential $credential @call).Added)
        Use-OtherCore 'OtherAfter'
    }
    'AmiShareFirst' {
        Import-Module $Manifest
        $result.Granted = @((Grant-AmiLaunchPermission -ImageId $ImageId -AccountId $Account @owner @call).Added)
        Add-Type -Path $CorePath
        Use-OtherCore 'OtherAfter'
        # Set-AWSCredential's session object, holding the other Core's credentials (AWS.Tools keeps them in an
        # internal Credentials property): AmiShare reads it by type name and reflection.
        Add-Type -TypeDefinition 'namespace Amazon.PowerShell.Common { public sealed class AWSPSCredentials { public AWSPSCredentials(object c) { Credentials = c; } internal object Credentials { get; private set; } public override string ToString() { return "Credentials Object"; } } }'
        $StoredAWSCredentials = [Amazon.PowerShell.Common.AWSPSCredentials]::new([Amazon.Runtime.BasicAWSCredentials]::new($owner.AccessKey, $owner.SecretKey))
        $result.GrantedAgain = @((Grant-AmiLaunchPermission -ImageId $ImageId -AccountId $SecondAccount @call).Added)
    }
    'ImportOnly' {
        Import-Module $Manifest
        $null = Get-Command -Module AmiShare
        $null = Get-Command -Module AmiShare -Syntax
        $null = Get-Command -Module AmiShare | ForEach-Object { $_.Parameters; $_.OutputType }
        $null = Get-Help Grant-AmiLaunchPermission -Full
        $result.EngineLoadedByImportAndMetadata = Test-EngineLoaded
        Remove-Module AmiShare
        $result.ResolvedAfterRemove = Resolve-EngineByName
        Import-Module $Manifest
        $result.ResolvedAfterReimport = Resolve-EngineByName
        $result.Granted = @((Grant-AmiLaunchPermission -ImageId $ImageId -AccountId $Account @owner @call).Added)
    }
}

$result.Engine = @(Get-Placement 'AmiShare.Engine')
$result.Core = @(Get-Placement 'AWSSDK.Core')
'##RESULT## ' + ($result | ConvertTo-Json -Compress -Depth 5)
