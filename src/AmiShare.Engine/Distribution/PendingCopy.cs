namespace AmiShare.Engine.Distribution
{
    /// <summary>One approved region of a copying command (Publish-Ami, Copy-SharedAmi): its plan, its writes, and whether it failed.</summary>
    internal class PendingCopy
    {
        /// <summary>Gets or sets the region's plan; <see cref="RegionPlan.Image"/> is the copy as last seen.</summary>
        public RegionPlan Plan { get; set; }

        /// <summary>Gets or sets the AWS writes made for the region.</summary>
        public int Writes { get; set; }

        /// <summary>Gets or sets a value indicating whether the copy failed or timed out (the region gets no row).</summary>
        public bool Failed { get; set; }
    }
}
