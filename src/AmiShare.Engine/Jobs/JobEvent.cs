namespace AmiShare.Engine.Jobs
{
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

        /// <summary>The state of a Progress event.</summary>
        public JobProgress Progress { get; internal set; }
    }

}
