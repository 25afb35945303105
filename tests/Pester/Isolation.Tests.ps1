# AmiShare beside another AWSSDK.Core build (AWS.Tools brings one), each order in a fresh process of this
# edition. Windows PowerShell 5.1 (CI's windows job) has no assembly load contexts: a foreign Core loaded
# first makes AmiShare stop with AwsSdkConflict before any AWS call, and a Core added after AmiShare is
# AmiShare's own. PowerShell 7 isolates the two, so both orders work (the full matrix of Core builds and
# orders is tests/AmiShare.Module.Tests/IsolationTests.cs). Needs no emulator: the endpoint is closed,
# so a command that gets as far as AWS ends with EndpointUnreachable.
# The other Core is AWSSDK.Core 4.0.3.3 from the NuGet cache (PackageDownload of AmiShare.Module.Tests).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Manifest = Get-AmiShareModuleManifest
    $script:Desktop = $PSVersionTable.PSEdition -eq 'Desktop'
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path (Join-Path $HOME '.nuget') 'packages' }
    $tfm = if ($script:Desktop) { 'net472' } else { 'netstandard2.0' }
    $script:OtherCore = [IO.Path]::Combine($packages, 'awssdk.core', '4.0.3.3', 'lib', $tfm, 'AWSSDK.Core.dll')
    $script:OurCore = [IO.Path]::Combine((Split-Path $script:Manifest), 'dependencies', 'AWSSDK.Core.dll')

    # A fresh process of this edition (pwsh may run as `dotnet pwsh.dll`).
    $process = (Get-Process -Id $PID).Path
    $script:ChildArguments = @()
    if ((Split-Path -Leaf $process) -match '^dotnet(\.exe)?$') {
        $script:ChildArguments = @(Join-Path $PSHOME 'pwsh.dll')
    }
    $script:ChildExe = $process

    function Invoke-Child([string] $Body) {
        $script = "`$ErrorActionPreference = 'Stop'`n" + $Body
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script))
        $output = & $script:ChildExe @script:ChildArguments -NoProfile -NonInteractive -EncodedCommand $encoded 2>&1
        @($output | ForEach-Object { "$_" })
    }

    function ConvertTo-Literal([string] $Value) { "'" + $Value.Replace("'", "''") + "'" }

    # The first AmiShare command: its FullyQualifiedErrorId and message (the endpoint is closed).
    $script:FirstCommand = @'
try {
    Get-AmiLaunchPermission ami-0a1b2c3d4e5f60001 -Region us-east-1 -AccessKey AKIAAMISHAREOWNER001 -SecretKey owner-secret -EndpointUrl http://127.0.0.1:1 -ErrorAction Stop
    'no error'
} catch {
    $_.FullyQualifiedErrorId
    $_.Exception.Message
}
'@
}

Describe 'AmiShare and another AWSSDK.Core in one session' -Tag CI {
    BeforeAll {
        if (-not (Test-Path -LiteralPath $script:OtherCore)) {
            throw "$script:OtherCore is missing: run dotnet test (or dotnet restore tests/AmiShare.Module.Tests) first."
        }
    }

    It 'other Core first: Windows PowerShell stops with AwsSdkConflict naming it; PowerShell 7 runs the command' {
        $lines = Invoke-Child (@(
                "Add-Type -Path $(ConvertTo-Literal $script:OtherCore)"
                "Import-Module $(ConvertTo-Literal $script:Manifest)"
                $script:FirstCommand
            ) -join "`n")

        if ($script:Desktop) {
            $lines[0] | Should -Be 'AwsSdkConflict,AmiShare.Commands.GetAmiLaunchPermissionCommand'
            $lines[1] | Should -BeLike '*another AWSSDK.Core (file version 4.0.3.3, loaded from *AWSSDK.Core.dll)*'
            $lines[1] | Should -BeLike "*$($script:OurCore)*"
            $lines[1] | Should -BeLike '*Start a new Windows PowerShell session and import AmiShare before AWS.Tools*'
        }
        else {
            $lines[0] | Should -Be 'EndpointUnreachable,AmiShare.Commands.GetAmiLaunchPermissionCommand'
        }
    }

    It 'AmiShare first: the command runs, and the Core added later is AmiShare''s on Windows PowerShell, its own on PowerShell 7' {
        $lines = Invoke-Child (@(
                "Import-Module $(ConvertTo-Literal $script:Manifest)"
                "Add-Type -Path $(ConvertTo-Literal $script:OtherCore)"
                '[Amazon.Runtime.BasicAWSCredentials].Assembly.Location'
                $script:FirstCommand
            ) -join "`n")

        $expectedCore = if ($script:Desktop) { $script:OurCore } else { $script:OtherCore }
        $lines[0] | Should -Be $expectedCore
        $lines[1] | Should -Be 'EndpointUnreachable,AmiShare.Commands.GetAmiLaunchPermissionCommand'
    }
}
