namespace AmiShare
{
    /// <summary>The result of a check: the decision and, for a conflict, the AWSSDK.Core that is in the way.</summary>
    public sealed class AwsSdkCheck
    {
        internal AwsSdkCheck(AwsSdkDecision decision, AwsSdkAssembly ours, AwsSdkAssembly loaded)
        {
            Decision = decision;
            Ours = ours;
            Loaded = loaded;
        }

        public AwsSdkDecision Decision { get; }

        public AwsSdkAssembly Ours { get; }

        /// <summary>The foreign AWSSDK.Core (Conflict, SameBuild), else null.</summary>
        public AwsSdkAssembly Loaded { get; }

        /// <summary>The AwsSdkConflict message (reason and fix) for a conflict, else null.</summary>
        public string Message => Decision != AwsSdkDecision.Conflict ? null : AwsSdkConflict.Reason(Ours, Loaded) + " " + AwsSdkConflict.Remedy;
    }
}
