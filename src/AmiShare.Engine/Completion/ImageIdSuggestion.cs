namespace AmiShare.Engine.Completion
{
    /// <summary>One AMI offered by -ImageId tab completion.</summary>
    public sealed class ImageIdSuggestion
    {
        /// <summary>Creates a suggestion: the id to insert, the menu text and the tooltip.</summary>
        public ImageIdSuggestion(string imageId, string listItemText, string toolTip)
        {
            ImageId = imageId;
            ListItemText = listItemText;
            ToolTip = toolTip;
        }

        /// <summary>What completion inserts: the AMI id.</summary>
        public string ImageId { get; }

        /// <summary>What the completion menu lists: "ami-… (name, 2026-11-02)".</summary>
        public string ListItemText { get; }

        /// <summary>The tooltip: "ami-… (name, 2026-11-02 10:00 UTC)", plus ", pending" for an AMI still being created.</summary>
        public string ToolTip { get; }
    }
}
