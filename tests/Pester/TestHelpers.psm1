# Shared set-up for the AmiShare Pester tests (Pester 5; Windows PowerShell 5.1 and PowerShell 7).
#
# - Imports the assembled module: $env:AMISHARE_MODULE (the full path of AmiShare.psd1) when set, else
#   out/<$env:AMISHARE_CONFIGURATION>/AmiShare, else the newer of out/Debug/AmiShare and out/Release/AmiShare.
#   Build first: dotnet build (or ./build.ps1 -Task Build).
# - Starts ONE emulator per test file (BeforeAll) straight from its dll:
#     dotnet <AmiShare.Emulator.dll> --port 0
#   and reads the endpoint from its first output line ("AmiShare emulator listening on http://127.0.0.1:NNNN").
#   The dll is $env:AMISHARE_EMULATOR when set, else src/AmiShare.Emulator/bin/<configuration>/net10.0.
#   Reset-AmiShareEmulator (POST /_emulator/reset) gives a test a fresh demo world, an empty request log and
#   no faults; Stop-AmiShareEmulator (AfterAll) stops the process and deletes its output files.
# - Reads the emulator's world and request log through its control API (/_emulator/state, /_emulator/log),
#   never through hand-made AWS requests.
# - Points AWS credentials and region at the demo world's owner account through environment variables,
#   and hides the user's own AWS configuration (profiles, endpoints, instance metadata) while tests run.
#
# Demo world: owner 123456789012 (AKIAAMISHAREOWNER001 / owner-secret), consumer 111122223333
# (AKIAAMISHARECONSUMER1 / consumer-secret), accounts 444455556666 and 555566667777, organization
# o-abc1234567 with OUs Engineering (ou-ab12-11111111), Platform (ou-ab12-33333333, under Engineering)
# and Finance (ou-ab12-22222222).

Set-StrictMode -Version 3.0

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot (Join-Path '..' '..'))).Path
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

# The AWS actions that change the world (the emulator's RequestLog.Mutating list), for "makes no write" checks.
$script:WriteActions = @(
    'ModifyImageAttribute', 'ResetImageAttribute', 'ModifySnapshotAttribute', 'ResetSnapshotAttribute',
    'CreateTags', 'DeleteTags', 'CopyImage', 'DeregisterImage', 'EnableImageBlockPublicAccess', 'DisableImageBlockPublicAccess',
    'EnableImageDeprecation', 'DisableImageDeprecation',
    'PutKeyPolicy', 'CreateGrant', 'RetireGrant', 'RevokeGrant'
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
    CmkKeyId          = '1234abcd-12ab-34cd-56ef-1234567890ab'
}

function Get-AmiShareDemo {
    <# The demo world's account ids, ARNs and AMI ids. #>
    $script:Demo
}

function Get-AmiShareRepoRoot {
    $script:RepoRoot
}

function Get-NewestBuild {
    <# Of the given files, the one written last, or $null when none exists. #>
    param([string[]] $Candidates)
    $found = @(foreach ($candidate in $Candidates) {
            if (Test-Path -LiteralPath $candidate) { Get-Item -LiteralPath $candidate }
        })
    if ($found.Count -eq 0) {
        return $null
    }

    @($found | Sort-Object LastWriteTimeUtc -Descending)[0].FullName
}

function Get-AmiShareModuleManifest {
    <#
    The assembled module's AmiShare.psd1: $env:AMISHARE_MODULE, else out/<$env:AMISHARE_CONFIGURATION>/AmiShare,
    else the newer of out/Debug/AmiShare and out/Release/AmiShare (by AmiShare.dll).
    #>
    if ($env:AMISHARE_MODULE) {
        return $env:AMISHARE_MODULE
    }

    $out = Join-Path $script:RepoRoot 'out'
    if ($env:AMISHARE_CONFIGURATION) {
        # Never another configuration's build.
        return Join-Path $out (Join-Path $env:AMISHARE_CONFIGURATION (Join-Path 'AmiShare' 'AmiShare.psd1'))
    }

    $folders = @(
        (Join-Path $out (Join-Path 'Debug' 'AmiShare')),
        (Join-Path $out (Join-Path 'Release' 'AmiShare'))
    )
    $newest = Get-NewestBuild -Candidates @($folders | ForEach-Object { Join-Path $_ 'AmiShare.dll' })
    if ($null -eq $newest) {
        # Not built: name the first place the module is looked for; Import-AmiShareModule says how to build it.
        return Join-Path $folders[0] 'AmiShare.psd1'
    }

    Join-Path (Split-Path $newest) 'AmiShare.psd1'
}

function Import-AmiShareModule {
    <# Imports the built module into the global scope, so test scripts see its cmdlets. #>
    $manifest = Get-AmiShareModuleManifest
    if (-not (Test-Path -LiteralPath $manifest)) {
        throw "The module is not built: $manifest is missing. Run dotnet build (or ./build.ps1 -Task Build) first, or set AMISHARE_MODULE to the full path of AmiShare.psd1."
    }

    Import-Module $manifest -Global -ErrorAction Stop
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

function Get-AmiShareEmulatorDll {
    <#
    The built emulator: $env:AMISHARE_EMULATOR, else src/AmiShare.Emulator/bin/<configuration>/net10.0/AmiShare.Emulator.dll
    for $env:AMISHARE_CONFIGURATION, else the newer of the Debug and Release builds.
    #>
    if ($env:AMISHARE_EMULATOR) {
        if (-not (Test-Path -LiteralPath $env:AMISHARE_EMULATOR)) {
            throw "AMISHARE_EMULATOR is '$($env:AMISHARE_EMULATOR)', which does not exist. Build the emulator (dotnet build) or unset AMISHARE_EMULATOR."
        }

        return $env:AMISHARE_EMULATOR
    }

    $configurations = @('Debug', 'Release')
    if ($env:AMISHARE_CONFIGURATION) {
        $configurations = @($env:AMISHARE_CONFIGURATION)
    }

    $candidates = @($configurations | ForEach-Object {
            Join-Path $script:EmulatorProject (Join-Path 'bin' (Join-Path $_ (Join-Path 'net10.0' 'AmiShare.Emulator.dll')))
        })
    $dll = Get-NewestBuild -Candidates $candidates
    if ($null -eq $dll) {
        throw "The emulator is not built (looked for $($candidates -join ', ')). Run dotnet build first, or set AMISHARE_EMULATOR to the full path of AmiShare.Emulator.dll."
    }

    $dll
}

function Start-AmiShareEmulator {
    <#
    Starts the emulator (demo world) on a port the system picks, stopping the previous one, and waits for
    its first output line, which names the endpoint. Returns an object with Port, EndpointUrl, Process and
    the paths of its output files. Start it once per test file (BeforeAll); Reset-AmiShareEmulator gives a
    test a fresh world. -ArgumentList adds emulator options (e.g. '--world', $path, '--usage-report-pending-seconds', '2').
    #>
    param([int] $TimeoutSeconds = 60, [string[]] $ArgumentList = @())

    Stop-AmiShareEmulator

    $dll = Get-AmiShareEmulatorDll
    $keepLogs = [bool] $env:AMISHARE_TEST_LOGS
    if ($keepLogs) {
        $logDir = $env:AMISHARE_TEST_LOGS
    }
    else {
        $logDir = Join-Path ([IO.Path]::GetTempPath()) ('amishare-pester-' + [Guid]::NewGuid().ToString('N'))
    }

    New-Item -ItemType Directory -Force -Path $logDir | Out-Null
    $name = 'emulator-' + [Guid]::NewGuid().ToString('N').Substring(0, 8)
    $stdout = Join-Path $logDir "$name.out.log"
    $stderr = Join-Path $logDir "$name.err.log"

    # Start-Process joins arguments with spaces and does not quote them: quote the path ourselves.
    $arguments = @(('"' + $dll + '"'), '--port', '0') + @($ArgumentList | ForEach-Object { '"' + $_ + '"' })
    $process = Start-Process -FilePath 'dotnet' -ArgumentList $arguments -PassThru -NoNewWindow `
        -RedirectStandardOutput $stdout -RedirectStandardError $stderr
    $null = $process.Handle   # Windows PowerShell 5.1 reports ExitCode only when the handle was taken while it ran

    $script:Emulator = [pscustomobject]@{
        Port        = 0
        EndpointUrl = $null
        Process     = $process
        StdOut      = $stdout
        StdErr      = $stderr
        LogDir      = $logDir
        KeepLogs    = $keepLogs
    }

    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ($true) {
        $first = Read-FirstLine -Path $stdout
        if ($first -match 'listening on (http://\S+)') {
            $script:Emulator.EndpointUrl = $Matches[1]
            $script:Emulator.Port = [int] ([Uri] $Matches[1]).Port
            return $script:Emulator
        }

        if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) {
            $why = if ($process.HasExited) { "exited with code $($process.ExitCode) before it named its endpoint" } else { "did not name its endpoint within $TimeoutSeconds seconds" }
            $log = (@(Get-Content -LiteralPath $stdout, $stderr -ErrorAction SilentlyContinue) -join [Environment]::NewLine)
            Stop-AmiShareEmulator
            throw "The emulator (dotnet $dll --port 0) $why. Its output:$([Environment]::NewLine)$log"
        }

        Start-Sleep -Milliseconds 50
    }
}

function Read-FirstLine {
    <# The first complete line of a file another process is writing, or $null. #>
    param([string] $Path)
    if (-not (Test-Path -LiteralPath $Path)) {
        return $null
    }

    $stream = New-Object System.IO.FileStream $Path, ([IO.FileMode]::Open), ([IO.FileAccess]::Read), ([IO.FileShare]::ReadWrite -bor [IO.FileShare]::Delete)
    try {
        $reader = New-Object System.IO.StreamReader $stream
        $text = $reader.ReadToEnd()
    }
    finally {
        $stream.Dispose()
    }

    $end = $text.IndexOf("`n")
    if ($end -lt 0) {
        return $null
    }

    $text.Substring(0, $end).TrimEnd("`r")
}

function Stop-AmiShareEmulator {
    <# Stops the emulator this module started and deletes its output files (unless AMISHARE_TEST_LOGS keeps them). #>
    $emulator = $script:Emulator
    $script:Emulator = $null
    if ($null -eq $emulator) {
        return
    }

    $process = $emulator.Process
    try {
        if ($null -ne $process -and -not $process.HasExited) {
            $process.Kill()
            [void]$process.WaitForExit(15000)
        }
    }
    catch [System.InvalidOperationException] {
        # It exited between the check and Kill.
    }
    finally {
        if ($null -ne $process) {
            $process.Dispose()
        }

        if (-not $emulator.KeepLogs) {
            Remove-Item -LiteralPath $emulator.LogDir -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
}

function Get-AmiShareEmulator {
    <# The running emulator started by Start-AmiShareEmulator, or $null. #>
    $script:Emulator
}

function Invoke-EmulatorControl {
    <# One call to the running emulator's control API (/_emulator/...); returns the parsed JSON answer. #>
    param(
        [Parameter(Mandatory = $true)][string] $Path,
        [string] $Method = 'Get',
        [string] $Body
    )

    if ($null -eq $script:Emulator) {
        throw 'No emulator is running: call Start-AmiShareEmulator (in BeforeAll) first.'
    }

    $ProgressPreference = 'SilentlyContinue'   # Windows PowerShell 5.1 draws a progress bar for every web call
    $call = @{
        Uri             = $script:Emulator.EndpointUrl + '/_emulator/' + $Path
        Method          = $Method
        UseBasicParsing = $true
    }
    if ($PSBoundParameters.ContainsKey('Body')) {
        $call['Body'] = [Text.Encoding]::UTF8.GetBytes($Body)
        $call['ContentType'] = 'application/json'
    }

    Invoke-RestMethod @call
}

function Reset-AmiShareEmulator {
    <# Gives the running emulator a fresh demo world, an empty request log and no faults (POST /_emulator/reset). #>
    Invoke-EmulatorControl -Path 'reset' -Method Post | Out-Null
}

function Get-AmiShareEmulatorState {
    <# The running emulator's world (GET /_emulator/state): images, snapshots, keys and block public access. #>
    Invoke-EmulatorControl -Path 'state'
}

function Get-AmiShareEmulatorLog {
    <#
    The requests the running emulator handled since its last reset or Clear-AmiShareEmulatorLog:
    Total, Counts (action name -> number of calls) and Entries (service, action, accountId, region, status, error).
    #>
    $log = Invoke-EmulatorControl -Path 'log'
    $counts = @{}
    foreach ($property in $log.counts.PSObject.Properties) {
        $counts[$property.Name] = [int] $property.Value
    }

    [pscustomobject]@{
        Total   = [int] $log.total
        Counts  = $counts
        Entries = @($log.entries)
    }
}

function Clear-AmiShareEmulatorLog {
    <# Empties the running emulator's request log (DELETE /_emulator/log). #>
    Invoke-EmulatorControl -Path 'log' -Method Delete | Out-Null
}

function Get-AmiShareEmulatorWrite {
    <# The write actions (ModifyImageAttribute, PutKeyPolicy, ...) in the request log, one name per call; empty when nothing was written. #>
    $log = Get-AmiShareEmulatorLog
    @($log.Entries | Where-Object { $script:WriteActions -contains $_.action } | ForEach-Object { $_.action })
}

function Set-AmiShareEmulatorFault {
    <#
    Makes the running emulator fail an AWS action (POST /_emulator/faults): Kind throttle, error or drop, for
    the next Times calls or at Rate. Reset-AmiShareEmulator removes every fault.
    #>
    param(
        [Parameter(Mandatory = $true)][string] $Action,
        [Parameter(Mandatory = $true)][ValidateSet('throttle', 'error', 'drop')][string] $Kind,
        [string] $Code,
        [int] $Status,
        [string] $Message,
        [int] $Times,
        [double] $Rate
    )

    $fault = @{ action = $Action; kind = $Kind }
    foreach ($name in 'Code', 'Status', 'Message', 'Times', 'Rate') {
        if ($PSBoundParameters.ContainsKey($name)) {
            $fault[$name.ToLowerInvariant()] = $PSBoundParameters[$name]
        }
    }

    Invoke-EmulatorControl -Path 'faults' -Method Post -Body (ConvertTo-Json -InputObject $fault -Compress)
}

function Get-Principal {
    <# Who can launch an AMI in the running emulator, as Get-AmiLaunchPermission reports it (principal values). #>
    param([string] $ImageId, [string] $Region = 'us-east-1')
    @(Get-AmiLaunchPermission -ImageId $ImageId -Region $Region -EndpointUrl $script:Emulator.EndpointUrl | ForEach-Object { $_.Principal })
}

function Get-KeyPolicy {
    <# The key policy document (JSON text as stored) of a KMS key in the running emulator (default: the demo CMK). #>
    param([string] $KeyId = $script:Demo.CmkKeyId, [string] $Region = 'us-east-1')
    $key = @((Get-AmiShareEmulatorState).keys | Where-Object { $_.keyId -eq $KeyId -and $_.region -eq $Region })
    if ($key.Count -ne 1) {
        throw "The emulator has no KMS key '$KeyId' in $Region."
    }

    $key[0].policy
}

function Get-PolicyStatement([string] $Policy) {
    @(($Policy | ConvertFrom-Json).Statement)
}

function Get-SnapshotAccount {
    <# The account ids with createVolumePermission on a snapshot in the running emulator. #>
    param([string] $SnapshotId, [string] $Region = 'us-east-1')
    $snapshot = @((Get-AmiShareEmulatorState).snapshots | Where-Object { $_.snapshotId -eq $SnapshotId -and $_.region -eq $Region })
    if ($snapshot.Count -ne 1) {
        throw "The emulator has no snapshot '$SnapshotId' in $Region."
    }

    @($snapshot[0].createVolumePermissions | Where-Object { $_.type -eq 'Account' } | ForEach-Object { $_.principal })
}

# ------------------------------------------------------------------------------------------------------
# What a cmdlet writes to the host (the -WhatIf "What if: ..." lines go to the host, not to a stream), captured
# by running the cmdlet in a runspace whose host records the lines instead of printing them.

$script:CaptureHostSource = @'
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace AmiShareTests
{
    /// <summary>Records the lines written to the host; cannot prompt (a prompt throws, naming its message).</summary>
    public sealed class CaptureHostUI : PSHostUserInterface
    {
        private readonly List<string> lines = new List<string>();
        private readonly StringBuilder pending = new StringBuilder();

        public string[] TakeLines()
        {
            lock (lines)
            {
                if (pending.Length > 0) { lines.Add(pending.ToString()); pending.Length = 0; }
                string[] result = lines.ToArray();
                lines.Clear();
                return result;
            }
        }

        private void Add(string value) { lock (lines) { pending.Append(value); } }
        private void AddLine(string value) { lock (lines) { pending.Append(value); lines.Add(pending.ToString()); pending.Length = 0; } }

        public override PSHostRawUserInterface RawUI { get { return null; } }
        public override string ReadLine() { throw new NotSupportedException("The test capture host cannot read input."); }
        public override SecureString ReadLineAsSecureString() { throw new NotSupportedException("The test capture host cannot read input."); }
        public override void Write(string value) { Add(value); }
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { Add(value); }
        public override void WriteLine(string value) { AddLine(value); }
        public override void WriteErrorLine(string value) { AddLine(value); }
        public override void WriteDebugLine(string message) { }
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteVerboseLine(string message) { }
        public override void WriteWarningLine(string message) { }
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
        { throw new NotSupportedException("The test capture host cannot prompt: " + message); }
        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        { throw new NotSupportedException("The test capture host cannot prompt: " + message); }
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName)
        { throw new NotSupportedException("The test capture host cannot prompt: " + message); }
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options)
        { throw new NotSupportedException("The test capture host cannot prompt: " + message); }
    }

    public sealed class CaptureHost : PSHost
    {
        private readonly CaptureHostUI ui = new CaptureHostUI();
        private readonly Guid id = Guid.NewGuid();
        public CaptureHostUI Capture { get { return ui; } }
        public override string Name { get { return "AmiShareTestCaptureHost"; } }
        public override Version Version { get { return new Version(1, 0); } }
        public override Guid InstanceId { get { return id; } }
        public override PSHostUserInterface UI { get { return ui; } }
        public override CultureInfo CurrentCulture { get { return CultureInfo.CurrentCulture; } }
        public override CultureInfo CurrentUICulture { get { return CultureInfo.CurrentUICulture; } }
        public override void SetShouldExit(int exitCode) { }
        public override void EnterNestedPrompt() { throw new NotSupportedException("The test capture host has no nested prompt."); }
        public override void ExitNestedPrompt() { throw new NotSupportedException("The test capture host has no nested prompt."); }
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
    }
}
'@

function Invoke-CapturingHost {
    <#
    Runs one command of the AmiShare module in a fresh runspace whose host records what the command writes
    to it, and returns Output, HostLines (e.g. the -WhatIf "What if: ..." lines), Warning and Error.
    Parameters are passed by name: Invoke-CapturingHost Grant-AmiLaunchPermission @{ ImageId = ...; WhatIf = $true }.
    #>
    param(
        [Parameter(Mandatory = $true, Position = 0)][string] $Command,
        [Parameter(Position = 1)][hashtable] $Parameters = @{}
    )

    if (-not ('AmiShareTests.CaptureHost' -as [type])) {
        Add-Type -TypeDefinition $script:CaptureHostSource -Language CSharp
    }

    $captureHost = New-Object AmiShareTests.CaptureHost
    $state = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
    $state.ImportPSModule([string[]] @(Get-AmiShareModuleManifest))
    $runspace = [System.Management.Automation.Runspaces.RunspaceFactory]::CreateRunspace($captureHost, $state)
    $shell = [System.Management.Automation.PowerShell]::Create()
    try {
        $runspace.Open()
        $shell.Runspace = $runspace
        [void]$shell.AddCommand($Command).AddParameters($Parameters)
        $output = @($shell.Invoke())
        [pscustomobject]@{
            Output    = $output
            HostLines = @($captureHost.Capture.TakeLines())
            Warning   = @($shell.Streams.Warning | ForEach-Object { $_.Message })
            Error     = @($shell.Streams.Error)
        }
    }
    finally {
        $shell.Dispose()
        $runspace.Dispose()
    }
}

Export-ModuleMember -Function @(
    'Get-AmiShareDemo'
    'Get-AmiShareRepoRoot'
    'Get-AmiShareModuleManifest'
    'Import-AmiShareModule'
    'Set-AmiShareTestEnvironment'
    'Restore-AmiShareTestEnvironment'
    'Get-AmiShareEmulatorDll'
    'Start-AmiShareEmulator'
    'Stop-AmiShareEmulator'
    'Get-AmiShareEmulator'
    'Reset-AmiShareEmulator'
    'Get-AmiShareEmulatorState'
    'Get-AmiShareEmulatorLog'
    'Clear-AmiShareEmulatorLog'
    'Get-AmiShareEmulatorWrite'
    'Set-AmiShareEmulatorFault'
    'Get-Principal'
    'Get-KeyPolicy'
    'Get-PolicyStatement'
    'Get-SnapshotAccount'
    'Invoke-CapturingHost'
)
