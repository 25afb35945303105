using System.Collections.Generic;

namespace AmiShare.Engine.Gateways
{
    /// <summary>The resource types an image usage report can count (ImageUsageResourceTypeRequest.ResourceType).</summary>
    public static class ImageUsageResourceTypes
    {
        /// <summary>EC2 instances launched from the AMI.</summary>
        public const string Instance = "ec2:Instance";

        /// <summary>Launch templates that reference the AMI.</summary>
        public const string LaunchTemplate = "ec2:LaunchTemplate";

        /// <summary>Both types, in the order AmiShare asks for them.</summary>
        public static IReadOnlyList<string> All { get; } = new[] { Instance, LaunchTemplate };
    }
}
