@{
    RootModule             = 'AmiShare.dll'
    ModuleVersion          = '0.1.0'
    GUID                   = '6f4d2a8e-3b1c-4c7e-9a55-2f1e8d0b7c41'
    Author                 = 'AmiShare contributors'
    CompanyName            = 'AmiShare'
    Copyright              = '(c) AmiShare contributors. Apache-2.0.'
    Description            = 'Share Amazon EC2 AMIs safely: with accounts, organizations and OUs, public or private, with idempotent one-call-per-AMI changes, -WhatIf plans and errors that say how to fix them.'
    CompatiblePSEditions   = @('Desktop', 'Core')
    PowerShellVersion      = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('AmiShare.Format.ps1xml')
    CmdletsToExport        = @(
        'Get-AmiLaunchPermission'
        'Grant-AmiLaunchPermission'
        'Revoke-AmiLaunchPermission'
        'Set-AmiPublic'
        'Reset-AmiLaunchPermission'
        'Test-AmiShareable'
        'Test-AmiLaunchAccess'
        'Set-AmiLaunchPermission'
        'Copy-AmiLaunchPermission'
        'Publish-Ami'
        'Get-AmiShareReport'
        'Get-AmiSharedWithMe'
        'Copy-SharedAmi'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('AWS', 'EC2', 'AMI', 'Sharing', 'LaunchPermission', 'Organizations', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://www.apache.org/licenses/LICENSE-2.0'
            ReleaseNotes = 'First release: Get/Grant/Revoke/Reset-AmiLaunchPermission, Set-AmiPublic, Test-AmiShareable (preflight), Test-AmiLaunchAccess; -IncludeKmsKey and -IncludeSnapshot; bare o-/ou- ids resolved through AWS Organizations.'
        }
    }
}
