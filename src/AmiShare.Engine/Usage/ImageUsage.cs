using System.Collections.Generic;

namespace AmiShare.Engine.Usage
{
    /// <summary>Who still uses one AMI, from its image usage report: the accounts with instances or launch templates on it.</summary>
    public sealed class ImageUsage
    {
        /// <summary>Creates an AMI's usage.</summary>
        public ImageUsage(string imageId, string region, IReadOnlyList<AccountUsage> accounts)
        {
            ImageId = imageId;
            Region = region;
            Accounts = accounts ?? new List<AccountUsage>();
        }

        /// <summary>Gets the AMI id.</summary>
        public string ImageId { get; }

        /// <summary>Gets the region of the AMI (and of its report).</summary>
        public string Region { get; }

        /// <summary>Gets the accounts that use the AMI, by account id; empty when none does.</summary>
        public IReadOnlyList<AccountUsage> Accounts { get; }
    }
}
