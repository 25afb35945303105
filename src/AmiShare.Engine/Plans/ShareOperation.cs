namespace AmiShare.Engine.Plans
{
    /// <summary>What a mutating cmdlet was asked to do to one AMI.</summary>
    public enum ShareOperation
    {
        /// <summary>Grant-AmiLaunchPermission.</summary>
        Grant,
        /// <summary>Revoke-AmiLaunchPermission.</summary>
        Revoke,
        /// <summary>Set-AmiPublic -Public:$true.</summary>
        SetPublic,
        /// <summary>Set-AmiPublic -Public:$false.</summary>
        SetPrivate,
        /// <summary>Reset-AmiLaunchPermission.</summary>
        Reset,
        /// <summary>Set-AmiLaunchPermission and Copy-AmiLaunchPermission: the launch permissions become exactly a given set.</summary>
        Set,
    }
}
