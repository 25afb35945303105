# A world for -CheckUsage tests: the emulator's demo world plus instances and launch templates in other accounts that use the
# owner's AMIs (the world's "instances" / "launchTemplates"), which image usage reports count. Import TestHelpers.psm1 first:
# the emulator started here is the one its Get-AmiShareEmulatorLog, Reset-AmiShareEmulator (back to this world) and
# Stop-AmiShareEmulator work on.

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

    $helpers = Get-Module TestHelpers
    if ($null -eq $helpers) {
        throw 'Import TestHelpers.psm1 before UsageWorld.psm1.'
    }

    $demoPath = Join-Path (Get-AmiShareRepoRoot) (Join-Path 'src' (Join-Path 'AmiShare.Emulator' (Join-Path 'worlds' 'demo.json')))
    # Spliced into the demo world's text (no ConvertFrom-Json round trip, which would turn its date strings into local times).
    $demo = [IO.File]::ReadAllText($demoPath)
    $parts = foreach ($kind in 'instances', 'launchTemplates') {
        $rows = @($Usage | Where-Object kind -EQ $kind | Select-Object -Property * -ExcludeProperty kind)
        '"' + $kind + '": ' + (ConvertTo-Json -InputObject $rows -Depth 5 -Compress)
    }

    $open = $demo.IndexOf('{')
    $json = $demo.Substring(0, $open + 1) + ($parts -join ', ') + ', ' + $demo.Substring($open + 1)
    # Start the emulator the way Start-AmiShareEmulator does, with --world, inside TestHelpers so its helpers see it.
    & $helpers {
        param($Json, $TimeoutSeconds)
        Stop-AmiShareEmulator
        $dll = Get-AmiShareEmulatorDll
        $logDir = Join-Path ([IO.Path]::GetTempPath()) ('amishare-pester-' + [Guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Force -Path $logDir | Out-Null
        $worldPath = Join-Path $logDir 'usage-world.json'
        [IO.File]::WriteAllText($worldPath, $Json)
        $stdout = Join-Path $logDir 'emulator.out.log'
        $stderr = Join-Path $logDir 'emulator.err.log'
        $arguments = @(('"' + $dll + '"'), '--port', '0', '--world', ('"' + $worldPath + '"'))
        $process = Start-Process -FilePath 'dotnet' -ArgumentList $arguments -PassThru -NoNewWindow -RedirectStandardOutput $stdout -RedirectStandardError $stderr
        $null = $process.Handle
        $script:Emulator = [pscustomobject]@{ Port = 0; EndpointUrl = $null; Process = $process; StdOut = $stdout; StdErr = $stderr; LogDir = $logDir; KeepLogs = $false }
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
        while ($true) {
            $first = Read-FirstLine -Path $stdout
            if ($first -match 'listening on (http://\S+)') {
                $script:Emulator.EndpointUrl = $Matches[1]
                $script:Emulator.Port = [int] ([Uri] $Matches[1]).Port
                return $script:Emulator.EndpointUrl
            }

            if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) {
                $log = (@(Get-Content -LiteralPath $stdout, $stderr -ErrorAction SilentlyContinue) -join [Environment]::NewLine)
                Stop-AmiShareEmulator
                throw "The emulator (dotnet $dll --world $worldPath) did not name its endpoint. Its output:$([Environment]::NewLine)$log"
            }

            Start-Sleep -Milliseconds 50
        }
    } $json $TimeoutSeconds
}

Export-ModuleMember -Function 'New-AmiShareUsage', 'Start-AmiShareUsageEmulator'
