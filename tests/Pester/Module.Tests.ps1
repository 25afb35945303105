# Manifest, exports, verbs and help of the assembled module (see Get-AmiShareModuleManifest in TestHelpers.psm1).
# Needs no emulator.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:CmdletNames = @((Import-PowerShellDataFile -Path (Get-AmiShareModuleManifest)).CmdletsToExport)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ManifestPath = Get-AmiShareModuleManifest
    # With out/ on PSModulePath, Windows PowerShell 5.1 also finds the about_ topic.
    $script:SavedModulePath = $env:PSModulePath
    $env:PSModulePath = (Split-Path (Split-Path $script:ManifestPath)) + [IO.Path]::PathSeparator + $env:PSModulePath
    $script:Manifest = Import-PowerShellDataFile -Path $script:ManifestPath
    $script:Module = Import-Module $script:ManifestPath -Global -PassThru -ErrorAction Stop
    $script:CommonParameters = @([System.Management.Automation.Cmdlet]::CommonParameters) +
        @([System.Management.Automation.Cmdlet]::OptionalCommonParameters)
}

AfterAll {
    $env:PSModulePath = $script:SavedModulePath
}

Describe 'AmiShare module' -Tag CI {
    It 'has a valid manifest' {
        { Test-ModuleManifest -Path $script:ManifestPath -ErrorAction Stop } | Should -Not -Throw
    }

    It 'was loaded from the build output folder' {
        (Resolve-Path $script:Module.ModuleBase).Path | Should -Be (Resolve-Path (Split-Path $script:ManifestPath)).Path
    }

    It 'exports exactly the cmdlets in CmdletsToExport' {
        @($script:Module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($script:Manifest.CmdletsToExport | Sort-Object)
    }

    It 'exports no functions, aliases or variables' {
        $script:Module.ExportedFunctions.Count | Should -Be 0
        $script:Module.ExportedAliases.Count | Should -Be 0
        $script:Module.ExportedVariables.Count | Should -Be 0
    }

    It 'uses only approved verbs' {
        $approved = (Get-Verb).Verb
        @($script:Module.ExportedCmdlets.Values | Where-Object { $approved -notcontains $_.Verb }) | Should -BeNullOrEmpty
    }

    It 'does not ship System.Management.Automation.dll' {
        @(Get-ChildItem -LiteralPath $script:Module.ModuleBase -Recurse -Filter 'System.Management.Automation.dll') | Should -BeNullOrEmpty
    }

    It 'ships compiled help named after the assembly' {
        Join-Path $script:Module.ModuleBase (Join-Path 'en-US' 'AmiShare.dll-Help.xml') | Should -Exist
    }

    It 'ships the about_AmiShare topic' {
        Join-Path $script:Module.ModuleBase (Join-Path 'en-US' 'about_AmiShare.help.txt') | Should -Exist
    }

    It 'finds about_AmiShare with Get-Help' {
        (Get-Help about_AmiShare | Out-String) | Should -Match 'ErrorId'
    }

    It 'declares both PowerShell editions' {
        $script:Manifest.CompatiblePSEditions | Should -Contain 'Desktop'
        $script:Manifest.CompatiblePSEditions | Should -Contain 'Core'
    }
}

Describe '<_> help' -Tag CI -ForEach $script:CmdletNames {
    BeforeAll {
        $name = $_
        $help = Get-Help $name -Full
        $command = Get-Command $name
        $parameterNames = @($command.Parameters.Keys | Where-Object { $script:CommonParameters -notcontains $_ })
    }

    # Without MAML, Get-Help makes up a synopsis and a parameter list, so check the descriptions.
    It 'has a description' {
        ($help.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has at least one example with code' {
        $examples = @($help.Examples.Example | Where-Object { $_ })
        $examples.Count | Should -BeGreaterThan 0
        $examples[0].Code | Should -Not -BeNullOrEmpty
    }

    It 'describes every parameter' {
        foreach ($parameterName in $parameterNames) {
            $parameterHelp = $help.Parameters.Parameter | Where-Object Name -EQ $parameterName
            ($parameterHelp.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$parameterName needs a description"
        }
    }

    It 'documents no parameter the cmdlet does not have' {
        $documented = @($help.Parameters.Parameter | ForEach-Object { $_.Name })
        $known = $parameterNames + @('WhatIf', 'Confirm')
        @($documented | Where-Object { $known -notcontains $_ }) | Should -BeNullOrEmpty
    }

    It 'takes ImageId at position 0 from the pipeline, by value and by property name' {
        if (-not $command.Parameters.ContainsKey('ImageId')) {
            # Only the listing cmdlets that find the AMIs themselves take no AMI ids.
            $command.Name | Should -BeIn @('Get-AmiSharedWithMe')
            return
        }

        $attribute = $command.Parameters['ImageId'].Attributes |
            Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] } |
            Select-Object -First 1
        $attribute.Position | Should -Be 0
        $attribute.ValueFromPipeline | Should -BeTrue
        $attribute.ValueFromPipelineByPropertyName | Should -BeTrue
    }

    It 'has the AWS.Tools common parameters' {
        foreach ($parameterName in 'Region', 'AccessKey', 'SecretKey', 'SessionToken', 'ProfileName', 'ProfileLocation', 'Credential', 'EndpointUrl') {
            $command.Parameters.Keys | Should -Contain $parameterName
        }
    }
}
