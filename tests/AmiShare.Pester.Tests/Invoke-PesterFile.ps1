# Runs ONE Pester file with Pester imported by explicit path (AmiShare.Pester.Tests starts this in real pwsh).
# Writes <ResultDirectory>/<file>.xml (NUnit) and <ResultDirectory>/<file>.json:
#   passed, failed, skipped, notRun, total, pwsh, pester, result, seconds, failures: [{ name, message }]
# "failed" counts failed tests plus failed blocks (a BeforeAll/AfterAll that threw) plus a file that failed in
# discovery or in its top-level BeforeAll, so a broken file never reports "0 tests, 0 failed".
# total = passed + failed + skipped + notRun. Writes nothing to the host: whatever reaches stdout came from
# the tests themselves (warnings, What if: lines, Write-Host) and the caller reports it as a leak.

param(
    [Parameter(Mandatory = $true)][string] $Path,
    [Parameter(Mandatory = $true)][string] $PesterManifest,
    [Parameter(Mandatory = $true)][string] $ResultDirectory
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version 3.0

Import-Module -Name $PesterManifest -Force
$name = [IO.Path]::GetFileNameWithoutExtension($Path)
New-Item -ItemType Directory -Force -Path $ResultDirectory | Out-Null
$json = Join-Path $ResultDirectory "$name.json"
$xml = Join-Path $ResultDirectory "$name.xml"
Remove-Item -LiteralPath $json, $xml -Force -ErrorAction SilentlyContinue

$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Run.Exit = $false
$configuration.Output.Verbosity = 'None'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'NUnitXml'
$configuration.TestResult.OutputPath = $xml

$run = Invoke-Pester -Configuration $configuration

$pesterFolder = Split-Path -Parent $PesterManifest

function Get-ErrorText($ErrorRecords) {
    $records = @($ErrorRecords | Where-Object { $null -ne $_ })
    if ($records.Count -eq 0) {
        return '(no error of its own: a BeforeAll or BeforeEach above it failed; see that failure)'
    }

    # The message and the stack lines in the test files (Pester's own frames say nothing about the test).
    (@($records) | ForEach-Object {
            $stack = @("$($_.ScriptStackTrace)" -split '\r?\n' | Where-Object { $_ -and $_.IndexOf($pesterFolder, [StringComparison]::OrdinalIgnoreCase) -lt 0 })
            (@($_.Exception.Message) + $stack) -join [Environment]::NewLine
        }) -join [Environment]::NewLine
}

$failures = New-Object System.Collections.Generic.List[object]
foreach ($test in @($run.Failed)) {
    $failures.Add([ordered]@{ name = $test.ExpandedPath; message = (Get-ErrorText $test.ErrorRecord) })
}
foreach ($block in @($run.FailedBlocks)) {
    $failures.Add([ordered]@{ name = ($block.Path -join '.') + ' (block setup or teardown)'; message = (Get-ErrorText $block.ErrorRecord) })
}
foreach ($container in @($run.FailedContainers)) {
    $failures.Add([ordered]@{ name = "$name (file: discovery or top-level BeforeAll/AfterAll)"; message = (Get-ErrorText $container.ErrorRecord) })
}

$failed = $run.FailedCount + $run.FailedBlocksCount + $run.FailedContainersCount
$summary = [ordered]@{
    file     = [IO.Path]::GetFileName($Path)
    pwsh     = $PSVersionTable.PSVersion.ToString()
    pester   = (Get-Module Pester).Version.ToString()
    result   = $run.Result
    passed   = $run.PassedCount
    failed   = $failed
    skipped  = $run.SkippedCount
    notRun   = $run.NotRunCount
    total    = $run.PassedCount + $failed + $run.SkippedCount + $run.NotRunCount
    seconds  = [Math]::Round($run.Duration.TotalSeconds, 1)
    failures = $failures.ToArray()
}
[IO.File]::WriteAllText($json, (ConvertTo-Json -InputObject $summary -Depth 5), (New-Object System.Text.UTF8Encoding $false))
