namespace AmiShare.Engine.Consumer
{
    /// <summary>One target region's outcome of Copy-SharedAmi.</summary>
    public sealed class SharedCopyResult
    {
        /// <summary>Gets or sets the shared AMI that was copied.</summary>
        public string SourceImageId { get; set; }

        /// <summary>Gets or sets the shared AMI's region.</summary>
        public string SourceRegion { get; set; }

        /// <summary>Gets or sets the shared AMI's owner.</summary>
        public string SourceOwnerId { get; set; }

        /// <summary>Gets or sets the target region.</summary>
        public string Region { get; set; }

        /// <summary>Gets or sets the caller's copy.</summary>
        public string ImageId { get; set; }

        /// <summary>Gets or sets the copy's name.</summary>
        public string ImageName { get; set; }

        /// <summary>Gets or sets the copy's state: available, or pending with -NoWait.</summary>
        public string State { get; set; }

        /// <summary>Gets or sets the caller's key the copy is encrypted with (ARN), or null when unencrypted.</summary>
        public string KmsKeyId { get; set; }

        /// <summary>Gets or sets Created (a new copy) or Reused (a copy an earlier run made).</summary>
        public string Action { get; set; }

        /// <summary>Gets or sets the AWS writes this command made in the region (1 for a new copy, 0 for a reused one).</summary>
        public int Changes { get; set; }
    }
}
