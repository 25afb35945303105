namespace AmiShare.Engine.Distribution
{
    /// <summary>Where a target region's AMI comes from.</summary>
    public enum RegionPlanKind
    {
        /// <summary>A new copy is made with CopyImage.</summary>
        Create,

        /// <summary>A copy an earlier run made (found by its amishare:source tag) is used; no CopyImage.</summary>
        Reuse,

        /// <summary>The target is the source's own region and the source itself is published (no copy needed).</summary>
        Source,
    }
}
