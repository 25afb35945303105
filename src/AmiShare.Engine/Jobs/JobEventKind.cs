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

        /// <summary>Progress of one part of a long item, e.g. one region's copy (<see cref="JobEvent.Progress"/>).</summary>
        Progress,
    }
}
