namespace AmiShare.Engine.Plans
{
    /// <summary>Access a plan keeps on purpose: a principal's KMS key access or a snapshot's createVolumePermission that another AMI still needs.</summary>
    public sealed class AccessKept
    {
        /// <summary>The KMS key ARN or snapshot id.</summary>
        public string Resource { get; internal set; }

        /// <summary>The principal (launch-permission value) that keeps its access.</summary>
        public string Principal { get; internal set; }

        /// <summary>Why, e.g. "ami-0… is still shared with 111122223333".</summary>
        public string Reason { get; internal set; }

        /// <summary>"111122223333 on arn:aws:kms:…: ami-0… is still shared with 111122223333".</summary>
        public override string ToString() => $"{Principal} on {Resource}: {Reason}";
    }
}
