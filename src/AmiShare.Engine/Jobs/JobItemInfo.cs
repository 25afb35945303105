namespace AmiShare.Engine.Jobs
{
    /// <summary>What the caller may know about an item.</summary>
    public sealed class JobItemInfo
    {
        internal JobItemInfo(int sequence, string imageId, string region, bool rejected)
        {
            Sequence = sequence;
            ImageId = imageId;
            Region = region;
            Rejected = rejected;
        }

        /// <summary>Its place in the input, from 0.</summary>
        public int Sequence { get; }

        /// <summary>The AMI id.</summary>
        public string ImageId { get; }

        /// <summary>The region of its service (null for an item without one).</summary>
        public string Region { get; }

        /// <summary>True for an item refused before it could run (<see cref="EngineJob.SubmitError"/>).</summary>
        public bool Rejected { get; }
    }
}
