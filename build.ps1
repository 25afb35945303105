<#
.SYNOPSIS
    Builds, tests, packages and demonstrates the AmiShare module.

.DESCRIPTION
    Tasks (run in this order, whatever order you give them in):

      Build    dotnet build AmiShareModule.sln -c <Configuration>. The build also assembles the module
               folder out/<Configuration>/AmiShare (manifest, AmiShare.dll, format file, en-US help, and
               the engine with its AWSSDK copies in dependencies/), so Debug and Release builds never
               overwrite each other.
      Test     dotnet test AmiShareModule.sln -c <Configuration>: the xunit suites and the whole Pester
               suite (tests/Pester) in real pwsh 7.6.9 with Pester 5.9.1, both restored from NuGet by the
               build. In Windows PowerShell 5.1 the Pester suite then also runs in a Windows PowerShell
               child process when Pester 5 is installed there.
      Package  Checks out/<Configuration>/AmiShare (required files, the engine only in dependencies/, no
               System.Management.Automation.dll, a valid manifest) and zips it into
               out/AmiShare-<version>.zip. Builds first when Build was not one of the tasks.
      Sandbox  dotnet run --project src/AmiShare.Sandbox: the tour against the embedded emulator.
      All      Build, Test and Package.

    Runs in PowerShell 7 and in Windows PowerShell 5.1. Child processes are started with -File or
    -Command (never -EncodedCommand), so a redirected log stays plain text. Exits with a non-zero code
    when a task fails.

.EXAMPLE
    ./build.ps1 -Task All

.EXAMPLE
    ./build.ps1 -Task Test -Configuration Debug
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Sandbox', 'All')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
if ([Console]::IsOutputRedirected) {
    # A CI log: no progress bars (Compress-Archive, Invoke-WebRequest) between the lines.
    $ProgressPreference = 'SilentlyContinue'
}

$RepoRoot = $PSScriptRoot
$Solution = Join-Path $RepoRoot 'AmiShareModule.sln'
$OutDir = Join-Path $RepoRoot 'out'
$ModuleDir = Join-Path (Join-Path $OutDir $Configuration) 'AmiShare'
$PesterDir = Join-Path (Join-Path $RepoRoot 'tests') 'Pester'

function Write-Step {
    param([string] $Text)
    # Write-Host goes to the information stream in the parent and as plain text to a redirected log.
    Write-Host $Text
}

function Invoke-Dotnet {
    param([Parameter(Mandatory)] [string[]] $Arguments)

    Write-Step "> dotnet $($Arguments -join ' ')"
    & dotnet @Arguments | Out-Host
    if ($LASTEXITCODE -ne 0) {
        throw "dotnet $($Arguments[0]) failed with exit code $LASTEXITCODE."
    }
}

function Get-PowerShellExecutable {
    # A fresh process of the same edition: a loaded binary module cannot be unloaded, and on Windows
    # its dll would stay locked for the next build. pwsh run as the `PowerShell` .NET tool is
    # dotnet + pwsh.dll.
    $path = (Get-Process -Id $PID).Path
    if ($path -and (Split-Path -Leaf $path) -match '^(pwsh|powershell)(\.exe)?$') {
        return @($path)
    }

    $toolDll = Join-Path $PSHOME 'pwsh.dll'
    if ($PSVersionTable.PSEdition -eq 'Core' -and (Test-Path -LiteralPath $toolDll)) {
        return @('dotnet', $toolDll)
    }

    if ($PSVersionTable.PSEdition -eq 'Core') { return @('pwsh') }
    return @('powershell.exe')
}

function Invoke-PowerShellFile {
    <# Runs a script file in a child PowerShell of this edition with -File; returns its exit code. #>
    param(
        [Parameter(Mandatory)] [string] $Path,
        [string[]] $Arguments = @()
    )

    $exe = @(Get-PowerShellExecutable)
    $command = $exe[0]
    $prefix = @($exe | Select-Object -Skip 1)
    & $command @prefix -NoProfile -NonInteractive -ExecutionPolicy Bypass -File $Path @Arguments | Out-Host
    return $LASTEXITCODE
}

function Invoke-PowerShellScript {
    <# Writes a script to a temporary .ps1 file and runs it with -File (plain-text output, no CLIXML). #>
    param([Parameter(Mandatory)] [string] $Script)

    $file = Join-Path ([IO.Path]::GetTempPath()) ('amishare-build-' + [Guid]::NewGuid().ToString('N') + '.ps1')
    Set-Content -LiteralPath $file -Value $Script -Encoding UTF8
    try {
        return Invoke-PowerShellFile -Path $file
    }
    finally {
        Remove-Item -LiteralPath $file -Force -ErrorAction SilentlyContinue
    }
}

function ConvertTo-PSLiteral {
    param([string] $Value)
    return "'" + $Value.Replace("'", "''") + "'"
}

function Invoke-BuildTask {
    Invoke-Dotnet -Arguments @('build', $Solution, '-c', $Configuration, '--nologo')
}

function Invoke-TestTask {
    # xunit and the Pester suite in real pwsh 7.6.9 (tests/AmiShare.Pester.Tests runs it).
    Invoke-Dotnet -Arguments @('test', $Solution, '-c', $Configuration, '--nologo')

    if ($PSVersionTable.PSEdition -ne 'Desktop') {
        return
    }

    # Windows PowerShell 5.1: the same Pester files in this edition too.
    $pester = Get-Module -ListAvailable -Name Pester |
        Where-Object { $_.Version -ge [version]'5.0' } |
        Sort-Object Version -Descending |
        Select-Object -First 1
    if (-not $pester) {
        Write-Warning ('Pester 5 is not installed for Windows PowerShell, so tests/Pester did not run in 5.1 ' +
            '(they ran in pwsh 7.6.9 above). Install it with: Install-Module Pester -MinimumVersion 5.5 -Scope CurrentUser -Force')
        return
    }

    $resultsDir = Join-Path $OutDir 'TestResults'
    New-Item -ItemType Directory -Force -Path $resultsDir | Out-Null
    $resultFile = Join-Path $resultsDir 'pester-Desktop.xml'
    Write-Step "> Invoke-Pester $PesterDir (Pester $($pester.Version), Windows PowerShell $($PSVersionTable.PSVersion))"
    $script = @"
`$ErrorActionPreference = 'Stop'
`$ProgressPreference = 'SilentlyContinue'
`$env:AMISHARE_CONFIGURATION = $(ConvertTo-PSLiteral $Configuration)
Import-Module Pester -RequiredVersion $(ConvertTo-PSLiteral $pester.Version.ToString())
`$c = New-PesterConfiguration
`$c.Run.Path = $(ConvertTo-PSLiteral $PesterDir)
`$c.Run.Exit = `$true
`$c.Output.Verbosity = 'Normal'
`$c.Output.RenderMode = 'Plaintext'
`$c.TestResult.Enabled = `$true
`$c.TestResult.OutputFormat = 'NUnitXml'
`$c.TestResult.OutputPath = $(ConvertTo-PSLiteral $resultFile)
Invoke-Pester -Configuration `$c
"@
    $code = Invoke-PowerShellScript -Script $script
    if ($code -ne 0) {
        throw "Pester tests failed in Windows PowerShell (exit code $code). Results: $resultFile"
    }
}

function Invoke-PackageTask {
    $required = @(
        'AmiShare.psd1'
        'AmiShare.dll'
        'AmiShare.Format.ps1xml'
        'dependencies/AmiShare.Engine.dll'
        'dependencies/AmiShare.Loader.dll'
        'dependencies/AWSSDK.Core.dll'
        'en-US/AmiShare.dll-Help.xml'
        'en-US/about_AmiShare.help.txt'
    )
    $missing = @($required | Where-Object { -not (Test-Path -LiteralPath (Join-Path $ModuleDir $_)) })
    if ($missing.Count -gt 0) {
        throw "The module folder $ModuleDir is incomplete; missing: $($missing -join ', '). Run ./build.ps1 -Task Build -Configuration $Configuration."
    }

    # The engine and AWSSDK load in AmiShare's own context from dependencies/ only; a copy next to
    # AmiShare.dll would load into PowerShell's shared context and clash with AWS.Tools.
    $stray = @(Get-ChildItem -LiteralPath $ModuleDir -Filter '*.dll' | Where-Object Name -NE 'AmiShare.dll')
    if ($stray.Count -gt 0) {
        throw "Only AmiShare.dll may sit in the module root; move these into dependencies/: $($stray.Name -join ', ')"
    }

    $sma = @(Get-ChildItem -LiteralPath $ModuleDir -Recurse -Filter 'System.Management.Automation.dll')
    if ($sma.Count -gt 0) {
        throw "System.Management.Automation.dll must not ship in the module: $($sma.FullName -join ', ')"
    }

    $manifest = Join-Path $ModuleDir 'AmiShare.psd1'
    $check = "try { Test-ModuleManifest -Path $(ConvertTo-PSLiteral $manifest) -ErrorAction Stop | Out-Null; exit 0 } catch { [Console]::Error.WriteLine(`$_.Exception.Message); exit 1 }"
    $code = Invoke-PowerShellScript -Script $check
    if ($code -ne 0) {
        throw "Test-ModuleManifest failed for $manifest."
    }

    $version = (Import-PowerShellDataFile -Path $manifest).ModuleVersion
    $zip = Join-Path $OutDir "AmiShare-$version.zip"
    if (Test-Path -LiteralPath $zip) {
        Remove-Item -LiteralPath $zip -Force
    }

    Compress-Archive -Path $ModuleDir -DestinationPath $zip
    Write-Step "Packaged $zip (from $ModuleDir)"
}

function Invoke-SandboxTask {
    Invoke-Dotnet -Arguments @('run', '--project', (Join-Path (Join-Path $RepoRoot 'src') 'AmiShare.Sandbox'), '-c', $Configuration)
}

$selected = @($Task)
if ($selected -contains 'All') {
    $selected += 'Build', 'Test', 'Package'
}

$order = 'Build', 'Test', 'Package', 'Sandbox'
$run = @($order | Where-Object { $selected -contains $_ })
if ($run -contains 'Package' -and $run -notcontains 'Build') {
    $run = @('Build') + $run
}

$failed = $false
Push-Location $RepoRoot
try {
    foreach ($name in $run) {
        Write-Step "=== $name ($Configuration)"
        & "Invoke-$($name)Task"
    }
}
catch {
    $failed = $true
    Write-Step "Task failed: $($_.Exception.Message)"
}
finally {
    Pop-Location
}

if ($failed) {
    exit 1
}

exit 0
