namespace AmiShare.Engine.Jobs
{
    /// <summary>What a <see cref="JobEvent"/> carries.</summary>
    public enum JobEventKind
    {
        /// <summary>A verbose line (<see cref="JobEvent.Text"/>).</summary>
        Verbose,

        /// <summary>A debug line (<see cref="JobEvent.Text"/>).</summary>
        Debug,

        /// <summary>A warning (<see cref="JobEvent.Text"/>).</summary>
        Warning,

        /// <summary>An output object (<see cref="JobEvent.Result"/>).</summary>
        Result,

        /// <summary>The item failed (<see cref="JobEvent.Error"/>, <see cref="JobEvent.Target"/>); the other items go on.</summary>
        Error,

        /// <summary>An unexpected exception (<see cref="JobEvent.Fault"/>): not an AmiShare error, so the caller stops.</summary>
        Fault,

        /// <summary>A planned change asks for approval (<see cref="JobEvent.Approval"/>).</summary>
        Approval,

        /// <summary>The item is done; nothing more comes for it.</summary>
        Completed,
    }

    /// <summary>
    /// One thing an <see cref="EngineJob"/> tells its caller. Events of items come out in input order: all of item 1's,
    /// then all of item 2's, and so on (each item's own order kept); events outside any item have no <see cref="Item"/>.
    /// </summary>
    public sealed class JobEvent
    {
        internal JobEvent(JobEventKind kind, JobItemInfo item)
        {
            Kind = kind;
            Item = item;
        }

        /// <summary>What this event is.</summary>
        public JobEventKind Kind { get; }

        /// <summary>The item it belongs to (null for a message outside any item).</summary>
        public JobItemInfo Item { get; }

        /// <summary>The line of a Verbose, Debug or Warning event.</summary>
        public string Text { get; internal set; }

        /// <summary>The output object of a Result event.</summary>
        public object Result { get; internal set; }

        /// <summary>The error of an Error event.</summary>
        public AmiShareException Error { get; internal set; }

        /// <summary>The target of an Error event (the AMI id unless the item said otherwise).</summary>
        public object Target { get; internal set; }

        /// <summary>The exception of a Fault event.</summary>
        public System.Exception Fault { get; internal set; }

        /// <summary>The request of an Approval event.</summary>
        public JobApproval Approval { get; internal set; }
    }

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
