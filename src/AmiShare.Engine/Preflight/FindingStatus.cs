namespace AmiShare.Engine.Preflight
{
    /// <summary>Outcome of one preflight check.</summary>
    public enum FindingStatus
    {
        /// <summary>The check passed.</summary>
        Pass,
        /// <summary>The check found something to know; the operation can go on.</summary>
        Warn,
        /// <summary>The check failed; the operation stops for this AMI.</summary>
        Fail,
    }
}
