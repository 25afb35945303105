# A world for -CheckUsage tests: the emulator's demo world plus instances and launch templates in other accounts that use the
# owner's AMIs (the world's "instances" / "launchTemplates"), which image usage reports count. Import TestHelpers.psm1 first:
# the emulator is started with its Start-AmiShareEmulator, so Get-AmiShareEmulatorLog, Reset-AmiShareEmulator (back to this
# world) and Stop-AmiShareEmulator work on it.

function New-AmiShareUsage {
    <# One instance (with -State) or, with -LaunchTemplate, one launch template of -Account that uses -ImageId in us-east-1. #>
    param(
        [Parameter(Mandatory = $true)][string] $Account,
        [Parameter(Mandatory = $true)][string] $ImageId,
        [string] $State = 'running',
        [switch] $LaunchTemplate
    )

    if ($LaunchTemplate) {
        return [pscustomobject]@{ kind = 'launchTemplates'; account = $Account; region = 'us-east-1'; imageId = $ImageId; name = "lt-$Account" }
    }

    [pscustomobject]@{ kind = 'instances'; account = $Account; region = 'us-east-1'; imageId = $ImageId; state = $State; launchTime = '2026-11-20T08:30:00Z' }
}

function Start-AmiShareUsageEmulator {
    <#
    Starts the emulator (stopping the previous one) with the demo world plus -Usage (New-AmiShareUsage rows) and returns its
    endpoint URL. Stop-AmiShareEmulator stops it; Start-AmiShareEmulator goes back to the plain demo world.
    #>
    param([object[]] $Usage = @(), [int] $TimeoutSeconds = 60)

    if ($null -eq (Get-Module TestHelpers)) {
        throw 'Import TestHelpers.psm1 before UsageWorld.psm1.'
    }

    $demoPath = Join-Path (Get-AmiShareRepoRoot) (Join-Path 'src' (Join-Path 'AmiShare.Emulator' (Join-Path 'worlds' 'demo.json')))
    # Spliced into the demo world's text (no ConvertFrom-Json round trip, which would turn its date strings into local times).
    $demo = [IO.File]::ReadAllText($demoPath)
    $json = $demo
    foreach ($kind in 'instances', 'launchTemplates') {
        $rows = @($Usage | Where-Object kind -EQ $kind | Select-Object -Property * -ExcludeProperty kind)
        $array = ConvertTo-Json -InputObject $rows -Depth 5 -Compress
        $key = '"' + $kind + '": ['
        $at = $json.IndexOf($key)
        if ($at -lt 0) {
            $open = $json.IndexOf('{')
            $json = $json.Substring(0, $open + 1) + '"' + $kind + '": ' + $array + ', ' + $json.Substring($open + 1)
        }
        elseif ($rows.Count -gt 0) {
            # The demo world has rows of this kind itself: the test's go into the same array (a second key would replace one).
            $cut = $at + $key.Length
            $separator = if ($json.Substring($cut).TrimStart().StartsWith(']')) { '' } else { ', ' }
            $json = $json.Substring(0, $cut) + $array.Substring(1, $array.Length - 2) + $separator + $json.Substring($cut)
        }
    }
    # The emulator keeps the world it loaded (Reset-AmiShareEmulator goes back to it), so the file can go once it listens.
    $worldPath = Join-Path ([IO.Path]::GetTempPath()) ('amishare-usage-world-' + [Guid]::NewGuid().ToString('N') + '.json')
    [IO.File]::WriteAllText($worldPath, $json)
    try {
        (Start-AmiShareEmulator -TimeoutSeconds $TimeoutSeconds -ArgumentList '--world', $worldPath).EndpointUrl
    }
    finally {
        Remove-Item -LiteralPath $worldPath -Force -ErrorAction SilentlyContinue
    }
}

Export-ModuleMember -Function 'New-AmiShareUsage', 'Start-AmiShareUsageEmulator'
