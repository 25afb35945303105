namespace AmiShare.Engine.Jobs
{
    /// <summary>The caller's answer to a <see cref="JobApproval"/>.</summary>
    public enum ApprovalAnswer
    {
        /// <summary>Apply the plan.</summary>
        Approved,

        /// <summary>Don't apply it (the user said no).</summary>
        Declined,

        /// <summary>Don't apply it, but let the rest of the run decide as if it had been (-WhatIf).</summary>
        WhatIf,
    }
}
