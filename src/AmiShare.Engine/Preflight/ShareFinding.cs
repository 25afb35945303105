namespace AmiShare.Engine.Preflight
{
    /// <summary>One finding: a check, its status, what was seen and what to do.</summary>
    public sealed class ShareFinding
    {
        /// <summary>The AMI.</summary>
        public string ImageId { get; set; }

        /// <summary>The AMI's region.</summary>
        public string Region { get; set; }

        /// <summary>One of <see cref="CheckNames"/>.</summary>
        public string Check { get; set; }

        /// <summary>Pass, Warn or Fail.</summary>
        public FindingStatus Status { get; set; }

        /// <summary>What was found, in plain words.</summary>
        public string Detail { get; set; }

        /// <summary>What to do about it (empty for Pass).</summary>
        public string Remedy { get; set; }

        /// <summary>The principal the finding is about, when it is about one (KmsKeyAccess), else null.</summary>
        public string Principal { get; set; }

        /// <summary>The snapshot or KMS key ARN the finding is about, when it is about one, else null.</summary>
        public string Resource { get; set; }

        /// <summary>For a Fail: the ErrorId a Grant / Set-AmiPublic stopped by it reports (one of <see cref="ErrorIds"/>).</summary>
        public string ErrorId { get; set; }

        /// <summary>For a Fail: the kind of error a Grant / Set-AmiPublic stopped by it reports (default InvalidOperation).</summary>
        public AmiShareErrorKind? ErrorKind { get; set; }

        /// <inheritdoc />
        public override string ToString() => $"{Check} {Status}: {Detail}";
    }

}
