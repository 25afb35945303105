# Shared set-up for the AmiShare Pester tests (Pester 5; Windows PowerShell 5.1 and PowerShell 7).
#
# - Imports the built module from out/AmiShare (build it first: ./build.ps1 -Task Build, or dotnet build).
# - Starts the AmiShare emulator as a separate process:
#     dotnet run --project src/AmiShare.Emulator --no-build -c <configuration> -- --port <free port>
#   and waits until the port answers. Each start is a fresh demo world, so a test that starts its own
#   emulator does not depend on what other tests did.
# - Points AWS credentials and region at the demo world's owner account through environment variables,
#   and hides the user's own AWS configuration (profiles, endpoints, instance metadata) while tests run.
#
# Demo world: owner 123456789012 (AKIAAMISHAREOWNER001 / owner-secret), consumer 111122223333
# (AKIAAMISHARECONSUMER1 / consumer-secret), accounts 444455556666 and 555566667777, organization
# o-abc1234567 with OUs Engineering (ou-ab12-11111111), Platform (ou-ab12-33333333, under Engineering)
# and Finance (ou-ab12-22222222).

Set-StrictMode -Version 3.0

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot (Join-Path '..' '..'))).Path
$script:ModuleManifest = Join-Path $script:RepoRoot (Join-Path 'out' (Join-Path 'AmiShare' 'AmiShare.psd1'))
$script:EmulatorProject = Join-Path $script:RepoRoot (Join-Path 'src' 'AmiShare.Emulator')
$script:Emulator = $null
$script:SavedEnvironment = $null

$script:EnvironmentNames = @(
    'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SECRET_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION',
    'AWS_DEFAULT_REGION', 'AWS_PROFILE', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_EC2',
    'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_EC2_METADATA_DISABLED',
    'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI'
)

# The demo world's fixed facts, for readable tests.
$script:Demo = [pscustomobject]@{
    OwnerAccount      = '123456789012'
    ConsumerAccount   = '111122223333'
    PlatformAccount   = '444455556666'
    FinanceAccount    = '555566667777'
    OrganizationArn   = 'arn:aws:organizations::123456789012:organization/o-abc1234567'
    EngineeringOuArn  = 'arn:aws:organizations::123456789012:ou/o-abc1234567/ou-ab12-11111111'
    PlatformOuArn     = 'arn:aws:organizations::123456789012:ou/o-abc1234567/ou-ab12-33333333'
    FinanceOuArn      = 'arn:aws:organizations::123456789012:ou/o-abc1234567/ou-ab12-22222222'
    Unencrypted       = 'ami-0a1b2c3d4e5f60001'
    CmkEncrypted      = 'ami-0a1b2c3d4e5f60002'
    AwsEbsEncrypted   = 'ami-0a1b2c3d4e5f60003'
    Marketplace       = 'ami-0a1b2c3d4e5f60004'
    TwoSnapshots      = 'ami-0a1b2c3d4e5f60005'
    EuWest            = 'ami-0a1b2c3d4e5f60006'
    NotOwned          = 'ami-0f0f0f0f0f0f0f0f0'
    Missing           = 'ami-0a1b2c3d4e5f6ffff'
}

function Get-AmiShareDemo {
    <# The demo world's account ids, ARNs and AMI ids. #>
    $script:Demo
}

function Get-AmiShareRepoRoot {
    $script:RepoRoot
}

function Get-AmiShareModuleManifest {
    <# out/AmiShare/AmiShare.psd1, the assembled module. #>
    $script:ModuleManifest
}

function Import-AmiShareModule {
    <# Imports the built module into the global scope, so test scripts see its cmdlets. #>
    if (-not (Test-Path -LiteralPath $script:ModuleManifest)) {
        throw "The module is not built: $($script:ModuleManifest) is missing. Run ./build.ps1 -Task Build (or dotnet build) first."
    }

    Import-Module $script:ModuleManifest -Global -ErrorAction Stop
}

function Set-AmiShareTestEnvironment {
    <#
    Saves the AWS environment variables and replaces them with the demo owner's keys and us-east-1.
    Profiles and instance metadata are switched off so the user's own AWS set-up cannot leak in.
    #>
    if ($null -eq $script:SavedEnvironment) {
        $saved = @{}
        foreach ($name in $script:EnvironmentNames) {
            $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        }

        $script:SavedEnvironment = $saved
    }

    foreach ($name in $script:EnvironmentNames) {
        [Environment]::SetEnvironmentVariable($name, $null)
    }

    $nowhere = Join-Path ([IO.Path]::GetTempPath()) ('amishare-no-aws-' + [Guid]::NewGuid().ToString('N'))
    $env:AWS_ACCESS_KEY_ID = 'AKIAAMISHAREOWNER001'
    $env:AWS_SECRET_ACCESS_KEY = 'owner-secret'
    $env:AWS_REGION = 'us-east-1'
    $env:AWS_EC2_METADATA_DISABLED = 'true'
    $env:AWS_SHARED_CREDENTIALS_FILE = Join-Path $nowhere 'credentials'
    $env:AWS_CONFIG_FILE = Join-Path $nowhere 'config'
}

function Restore-AmiShareTestEnvironment {
    <# Puts back the environment variables Set-AmiShareTestEnvironment replaced. #>
    if ($null -eq $script:SavedEnvironment) {
        return
    }

    foreach ($name in $script:EnvironmentNames) {
        [Environment]::SetEnvironmentVariable($name, $script:SavedEnvironment[$name])
    }

    $script:SavedEnvironment = $null
}

function Get-FreeTcpPort {
    $listener = New-Object System.Net.Sockets.TcpListener ([System.Net.IPAddress]::Loopback), 0
    $listener.Start()
    try {
        return $listener.LocalEndpoint.Port
    }
    finally {
        $listener.Stop()
    }
}

function Get-EmulatorConfiguration {
    <# The build configuration to run: $env:AMISHARE_CONFIGURATION (set by build.ps1), else the newest build. #>
    if ($env:AMISHARE_CONFIGURATION) {
        return $env:AMISHARE_CONFIGURATION
    }

    $builds = foreach ($configuration in 'Release', 'Debug') {
        $dll = Join-Path $script:EmulatorProject (Join-Path 'bin' (Join-Path $configuration (Join-Path 'net10.0' 'AmiShare.Emulator.dll')))
        if (Test-Path -LiteralPath $dll) {
            [pscustomobject]@{ Configuration = $configuration; Written = (Get-Item -LiteralPath $dll).LastWriteTimeUtc }
        }
    }

    if (-not $builds) {
        throw "The emulator is not built (no $($script:EmulatorProject)/bin/*/net10.0/AmiShare.Emulator.dll). Run ./build.ps1 -Task Build first."
    }

    return @($builds | Sort-Object Written -Descending)[0].Configuration
}

function Test-TcpPort {
    param([int] $Port)

    $client = New-Object System.Net.Sockets.TcpClient
    try {
        $client.Connect('127.0.0.1', $Port)
        return $true
    }
    catch {
        return $false
    }
    finally {
        $client.Close()
    }
}

function Start-AmiShareEmulator {
    <#
    Starts a fresh emulator (demo world) on a free port, stopping the previous one, and waits until
    it answers. Returns an object with Port, EndpointUrl, Process and the log file paths.
    #>
    param([int] $TimeoutSeconds = 90)

    Stop-AmiShareEmulator

    $port = Get-FreeTcpPort
    $configuration = Get-EmulatorConfiguration
    $logDir = $env:AMISHARE_TEST_LOGS
    if (-not $logDir) {
        $logDir = Join-Path ([IO.Path]::GetTempPath()) 'amishare-pester'
    }

    New-Item -ItemType Directory -Force -Path $logDir | Out-Null
    $stdout = Join-Path $logDir "emulator-$port.out.log"
    $stderr = Join-Path $logDir "emulator-$port.err.log"

    # Start-Process joins arguments with spaces and does not quote them: quote the path ourselves.
    $arguments = @('run', '--project', ('"' + $script:EmulatorProject + '"'), '--no-build', '-c', $configuration, '--', '--port', "$port")
    $process = Start-Process -FilePath 'dotnet' -ArgumentList $arguments -PassThru -NoNewWindow `
        -RedirectStandardOutput $stdout -RedirectStandardError $stderr

    $script:Emulator = [pscustomobject]@{
        Port        = $port
        EndpointUrl = "http://127.0.0.1:$port"
        Process     = $process
        StdOut      = $stdout
        StdErr      = $stderr
    }

    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while (-not (Test-TcpPort -Port $port)) {
        if ($process.HasExited) {
            $log = (Get-Content -LiteralPath $stdout, $stderr -ErrorAction SilentlyContinue) -join [Environment]::NewLine
            $script:Emulator = $null
            throw "The emulator exited before it answered on port $port. Output:$([Environment]::NewLine)$log"
        }

        if ([DateTime]::UtcNow -gt $deadline) {
            Stop-AmiShareEmulator
            throw "The emulator did not answer on port $port within $TimeoutSeconds seconds. See $stdout and $stderr."
        }

        Start-Sleep -Milliseconds 200
    }

    return $script:Emulator
}

function Stop-AmiShareEmulator {
    <# Stops the emulator this module started, with its child processes (dotnet run starts the app as a child). #>
    $emulator = $script:Emulator
    $script:Emulator = $null
    if ($null -eq $emulator -or $null -eq $emulator.Process) {
        return
    }

    $process = $emulator.Process
    try {
        if (-not $process.HasExited) {
            $killTree = $process.GetType().GetMethod('Kill', [Type[]]@([bool]))
            if ($null -ne $killTree) {
                $process.Kill($true)       # .NET Core 3.0+ (PowerShell 7): the whole tree
            }
            elseif ($env:OS -eq 'Windows_NT') {
                & taskkill.exe /PID $process.Id /T /F 2>&1 | Out-Null    # Windows PowerShell 5.1
            }
            else {
                $process.Kill()
            }

            [void]$process.WaitForExit(15000)
        }
    }
    catch {
        Write-Warning "Could not stop the emulator (process $($process.Id)): $($_.Exception.Message)"
    }
}

function Get-AmiShareEmulator {
    <# The running emulator started by Start-AmiShareEmulator, or $null. #>
    $script:Emulator
}

function Get-Principal {
    <# Who can launch an AMI in the running emulator, as Get-AmiLaunchPermission reports it (principal values). #>
    param([string] $ImageId, [string] $Region = 'us-east-1')
    @(Get-AmiLaunchPermission -ImageId $ImageId -Region $Region -EndpointUrl $script:Emulator.EndpointUrl | ForEach-Object { $_.Principal })
}

# Raw reads of the running emulator's state (no AWS.Tools needed). The emulator takes the access key from
# the SigV4 Authorization header and does not check the signature.
function Get-AuthHeader([string] $Service) {
    $now = [DateTime]::UtcNow
    @{
        'X-Amz-Date'    = $now.ToString("yyyyMMdd'T'HHmmss'Z'")
        'Authorization' = "AWS4-HMAC-SHA256 Credential=AKIAAMISHAREOWNER001/$($now.ToString('yyyyMMdd'))/us-east-1/$Service/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"
    }
}

function Get-ResponseText($Response) {
    if ($Response.Content -is [byte[]]) { [Text.Encoding]::UTF8.GetString($Response.Content) } else { [string] $Response.Content }
}

function Get-KeyPolicy {
    <# The key policy document of a KMS key in the running emulator (default: the demo CMK). #>
    param([string] $KeyId = '1234abcd-12ab-34cd-56ef-1234567890ab')
    $headers = Get-AuthHeader 'kms'
    $headers['X-Amz-Target'] = 'TrentService.GetKeyPolicy'
    $body = '{"KeyId":"' + $KeyId + '","PolicyName":"default"}'
    $r = Invoke-WebRequest -Uri $script:Emulator.EndpointUrl -Method Post -Headers $headers -Body $body `
        -ContentType 'application/x-amz-json-1.1' -UseBasicParsing
    (Get-ResponseText $r | ConvertFrom-Json).Policy
}

function Get-PolicyStatement([string] $Policy) {
    @(($Policy | ConvertFrom-Json).Statement)
}

function Get-SnapshotAccount {
    <# The account ids with createVolumePermission on a snapshot (DescribeSnapshotAttribute over the wire). #>
    param([string] $SnapshotId)
    $uri = "$($script:Emulator.EndpointUrl)/?Action=DescribeSnapshotAttribute&Version=2016-11-15&Attribute=createVolumePermission&SnapshotId=$SnapshotId"
    $r = Invoke-WebRequest -Uri $uri -Method Get -Headers (Get-AuthHeader 'ec2') -UseBasicParsing
    $xml = [xml] (Get-ResponseText $r)
    @($xml.GetElementsByTagName('userId') | ForEach-Object { $_.InnerText })
}

Export-ModuleMember -Function @(
    'Get-AmiShareDemo'
    'Get-AmiShareRepoRoot'
    'Get-AmiShareModuleManifest'
    'Import-AmiShareModule'
    'Set-AmiShareTestEnvironment'
    'Restore-AmiShareTestEnvironment'
    'Start-AmiShareEmulator'
    'Stop-AmiShareEmulator'
    'Get-AmiShareEmulator'
    'Get-Principal'
    'Get-KeyPolicy'
    'Get-PolicyStatement'
    'Get-SnapshotAccount'
)
