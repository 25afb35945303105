using System;
using System.Collections.Generic;
using Amazon.EC2;
using Amazon.EC2.Model;
using AmiShare.Engine.Principals;
using PrincipalType = AmiShare.Engine.Principals.PrincipalType;

namespace AmiShare.Engine.Gateways
{
    /// <summary>Conversions between EC2's wire types (LaunchPermission, Image) and the engine's (Principal, ImageInfo).</summary>
    internal static class Ec2Wire
    {
        internal static Principal FromWire(LaunchPermission item)
        {
            if (!string.IsNullOrEmpty(item.UserId))
            {
                return Principal.FromWire(PrincipalType.Account, item.UserId);
            }

            if (item.Group != null && string.Equals(item.Group.Value, "all", StringComparison.OrdinalIgnoreCase))
            {
                return Principal.Everyone;
            }

            if (!string.IsNullOrEmpty(item.OrganizationArn))
            {
                return Principal.FromWire(PrincipalType.Organization, item.OrganizationArn);
            }

            if (!string.IsNullOrEmpty(item.OrganizationalUnitArn))
            {
                return Principal.FromWire(PrincipalType.OrganizationalUnit, item.OrganizationalUnitArn);
            }

            return null;
        }

        internal static List<LaunchPermission> ToWire(IReadOnlyList<Principal> principals)
        {
            var list = new List<LaunchPermission>(principals.Count);
            foreach (Principal p in principals)
            {
                switch (p.Type)
                {
                    case PrincipalType.Account:
                        list.Add(new LaunchPermission { UserId = p.Value });
                        break;
                    case PrincipalType.Public:
                        list.Add(new LaunchPermission { Group = PermissionGroup.All });
                        break;
                    case PrincipalType.Organization:
                        list.Add(new LaunchPermission { OrganizationArn = p.Value });
                        break;
                    case PrincipalType.OrganizationalUnit:
                        list.Add(new LaunchPermission { OrganizationalUnitArn = p.Value });
                        break;
                }
            }

            return list;
        }

        internal static ImageInfo ToInfo(Image image)
        {
            var productCodes = new List<string>();
            if (image.ProductCodes != null)
            {
                foreach (ProductCode code in image.ProductCodes)
                {
                    if (!string.IsNullOrEmpty(code.ProductCodeId))
                    {
                        productCodes.Add(code.ProductCodeId);
                    }
                }
            }

            var snapshots = new List<SnapshotRef>();
            if (image.BlockDeviceMappings != null)
            {
                foreach (BlockDeviceMapping mapping in image.BlockDeviceMappings)
                {
                    if (mapping.Ebs != null && !string.IsNullOrEmpty(mapping.Ebs.SnapshotId))
                    {
                        snapshots.Add(new SnapshotRef
                        {
                            DeviceName = mapping.DeviceName,
                            SnapshotId = mapping.Ebs.SnapshotId,
                            Encrypted = mapping.Ebs.Encrypted ?? false,
                            KmsKeyId = mapping.Ebs.KmsKeyId,
                        });
                    }
                }
            }

            return new ImageInfo
            {
                ImageId = image.ImageId,
                Name = image.Name,
                OwnerId = image.OwnerId,
                State = image.State?.Value,
                IsPublic = image.Public ?? false,
                CreationDate = image.CreationDate,
                DeprecationTime = image.DeprecationTime,
                ProductCodes = productCodes,
                Snapshots = snapshots,
                Watermarks = WatermarkKeys(image),
                Tags = ToTagMap(image.Tags),
                LastLaunchedTime = image.LastLaunchedTime,
            };
        }

        /// <summary>The watermark keys (accountId:name) of <paramref name="image"/>, in EC2's order, without blanks.</summary>
        internal static List<string> WatermarkKeys(Image image)
        {
            var keys = new List<string>();
            if (image.ImageWatermarks != null)
            {
                foreach (ImageWatermark watermark in image.ImageWatermarks)
                {
                    if (!string.IsNullOrEmpty(watermark?.WatermarkKey) && !keys.Contains(watermark.WatermarkKey))
                    {
                        keys.Add(watermark.WatermarkKey);
                    }
                }
            }

            return keys;
        }

        internal static Dictionary<string, string> ToTagMap(List<Tag> tags)
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            if (tags != null)
            {
                foreach (Tag tag in tags)
                {
                    if (tag?.Key != null)
                    {
                        map[tag.Key] = tag.Value ?? string.Empty;
                    }
                }
            }

            return map;
        }
    }
}
