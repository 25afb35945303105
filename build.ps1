<#
.SYNOPSIS
    Builds, tests, packages and demonstrates the AmiShare module.

.DESCRIPTION
    Tasks (run in this order, whatever order you give them in):

      Build    dotnet build AmiShareModule.sln. The build also assembles the module folder
               out/<Configuration>/AmiShare (AmiShare.dll, manifest, format file, en-US help, and
               dependencies/ with the engine, AWSSDK and the PowerShell 7 loader).
      Test     dotnet test AmiShareModule.sln, then the Pester 5 tests in tests/Pester, each run in a
               fresh PowerShell process of the same edition as this one. Without Pester 5 the Pester
               tests are skipped with a warning.
      Package  Checks out/<Configuration>/AmiShare (required files, no System.Management.Automation.dll, a valid
               manifest) and zips it into out/AmiShare-<version>.zip. Builds first when Build was not
               one of the tasks.
      Sandbox  dotnet run --project src/AmiShare.Sandbox: the tour against the embedded emulator.
      All      Build, Test and Package.

    Runs in PowerShell 7 and in Windows PowerShell 5.1. Exits with a non-zero code when a task fails.

.EXAMPLE
    ./build.ps1 -Task Build,Test,Package

.EXAMPLE
    ./build.ps1 -Task Test -Configuration Debug
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Sandbox', 'All')]
    [string[]] $Task = 'Build',

    [string] $Configuration = 'Release'
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$RepoRoot = $PSScriptRoot
$Solution = Join-Path $RepoRoot 'AmiShareModule.sln'
$OutDir = Join-Path $RepoRoot 'out'
$ModuleDir = Join-Path (Join-Path $OutDir $Configuration) 'AmiShare'
$PesterDir = Join-Path (Join-Path $RepoRoot 'tests') 'Pester'

function Invoke-Dotnet {
    param([Parameter(Mandatory)] [string[]] $Arguments)

    Write-Host "> dotnet $($Arguments -join ' ')" -ForegroundColor Cyan
    & dotnet @Arguments | Out-Host
    if ($LASTEXITCODE -ne 0) {
        throw "dotnet $($Arguments[0]) failed with exit code $LASTEXITCODE."
    }
}

function Get-PowerShellExecutable {
    # A fresh process of the same edition: a loaded binary module cannot be unloaded, and on Windows
    # its dll would stay locked for the next build.
    $path = (Get-Process -Id $PID).Path
    if ($path -and (Split-Path -Leaf $path) -match '^(pwsh|powershell)(\.exe)?$') {
        return $path
    }

    if ($PSVersionTable.PSEdition -eq 'Core') { return 'pwsh' }
    return 'powershell.exe'
}

function Invoke-PowerShellChild {
    param([Parameter(Mandatory)] [string] $Script)

    $exe = Get-PowerShellExecutable
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Script))
    & $exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand $encoded | Out-Host
    return $LASTEXITCODE
}

function ConvertTo-PSLiteral {
    param([string] $Value)
    return "'" + $Value.Replace("'", "''") + "'"
}

function Invoke-BuildTask {
    Invoke-Dotnet -Arguments @('build', $Solution, '-c', $Configuration, '--nologo')
}

function Invoke-TestTask {
    Invoke-Dotnet -Arguments @('test', $Solution, '-c', $Configuration, '--nologo')

    $pester = Get-Module -ListAvailable -Name Pester |
        Where-Object { $_.Version -ge [version]'5.0' } |
        Sort-Object Version -Descending |
        Select-Object -First 1
    if (-not $pester) {
        Write-Warning ('Pester 5 was not found, so the Pester tests in tests/Pester were SKIPPED. ' +
            'Install it with: Install-Module Pester -MinimumVersion 5.5 -Scope CurrentUser -Force')
        return
    }

    $resultsDir = Join-Path $OutDir 'TestResults'
    New-Item -ItemType Directory -Force -Path $resultsDir | Out-Null
    $edition = $PSVersionTable.PSEdition
    $resultFile = Join-Path $resultsDir "pester-$edition.xml"

    Write-Host "> Invoke-Pester $PesterDir (Pester $($pester.Version), PowerShell $edition $($PSVersionTable.PSVersion))" -ForegroundColor Cyan
    $script = @"
`$ErrorActionPreference = 'Stop'
`$env:AMISHARE_CONFIGURATION = $(ConvertTo-PSLiteral $Configuration)
Import-Module Pester -RequiredVersion $(ConvertTo-PSLiteral $pester.Version.ToString())
`$c = New-PesterConfiguration
`$c.Run.Path = $(ConvertTo-PSLiteral $PesterDir)
`$c.Run.Exit = `$true
`$c.Output.Verbosity = 'Detailed'
`$c.TestResult.Enabled = `$true
`$c.TestResult.OutputFormat = 'NUnitXml'
`$c.TestResult.OutputPath = $(ConvertTo-PSLiteral $resultFile)
Invoke-Pester -Configuration `$c
"@
    $code = Invoke-PowerShellChild -Script $script
    if ($code -ne 0) {
        throw "Pester tests failed (exit code $code). Results: $resultFile"
    }
}

function Invoke-PackageTask {
    $required = @(
        'AmiShare.psd1'
        'AmiShare.dll'
        'dependencies/AmiShare.Engine.dll'
        'dependencies/AmiShare.Loader.dll'
        'dependencies/AWSSDK.Core.dll'
        'AmiShare.Format.ps1xml'
        'en-US/AmiShare.dll-Help.xml'
        'en-US/about_AmiShare.help.txt'
    )
    $missing = @($required | Where-Object { -not (Test-Path -LiteralPath (Join-Path $ModuleDir $_)) })
    if ($missing.Count -gt 0) {
        throw "The module folder $ModuleDir is incomplete; missing: $($missing -join ', '). Run ./build.ps1 -Task Build."
    }

    $sma = @(Get-ChildItem -LiteralPath $ModuleDir -Recurse -Filter 'System.Management.Automation.dll')
    if ($sma.Count -gt 0) {
        throw "System.Management.Automation.dll must not ship in the module: $($sma.FullName -join ', ')"
    }

    $manifest = Join-Path $ModuleDir 'AmiShare.psd1'
    $check = "Test-ModuleManifest -Path $(ConvertTo-PSLiteral $manifest) -ErrorAction Stop | Out-Null; exit 0"
    $code = Invoke-PowerShellChild -Script "try { $check } catch { Write-Error `$_ -ErrorAction Continue; exit 1 }"
    if ($code -ne 0) {
        throw "Test-ModuleManifest failed for $manifest."
    }

    $version = (Import-PowerShellDataFile -Path $manifest).ModuleVersion
    $zip = Join-Path $OutDir "AmiShare-$version.zip"
    if (Test-Path -LiteralPath $zip) {
        Remove-Item -LiteralPath $zip -Force
    }

    Compress-Archive -Path $ModuleDir -DestinationPath $zip
    Write-Host "Packaged $zip" -ForegroundColor Green
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
        Write-Host "=== $name ($Configuration)" -ForegroundColor Yellow
        & "Invoke-$($name)Task"
    }
}
catch {
    $failed = $true
    Write-Host "Task failed: $($_.Exception.Message)" -ForegroundColor Red
}
finally {
    Pop-Location
}

if ($failed) {
    exit 1
}

exit 0
