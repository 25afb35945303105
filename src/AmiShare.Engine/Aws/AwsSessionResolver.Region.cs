using System;
using System.Reflection;
using Amazon.Util;

namespace AmiShare.Engine.Aws
{
    /// <summary>The region chain of <see cref="AwsSessionResolver"/> (aws-tools-compat.md §1.3): -Region, $StoredAWSRegion, the default profiles, the environment, IMDS.</summary>
    public sealed partial class AwsSessionResolver
    {
        private string ResolveRegion(SessionParameters p, string explicitRegion, ProfileStores profiles, Action<string> debug, out string source)
        {
            if (explicitRegion != null)
            {
                source = "region parameter";
                return explicitRegion;
            }

            if (p.StoredRegion != null)
            {
                string stored = RegionFromObject(p.StoredRegion, "$StoredAWSRegion", false);
                if (stored != null)
                {
                    source = "shell variable $StoredAWSRegion";
                    return stored;
                }
            }

            // AWS.Tools consults only the default profiles here, never the -ProfileName one (§1.3 step 4).
            foreach (string name in new[] { "default", LegacyDefaultProfileName })
            {
                string fromProfile = profiles.TryGetRegion(name);
                if (fromProfile != null)
                {
                    fromProfile = SessionInput.ParseRegion(fromProfile, $"the region setting of profile '{name}'");
                    debug($"Region read from profile '{name}' in {profiles.Description}");
                    source = "stored region";
                    return fromProfile;
                }
            }

            foreach (string variable in new[] { "AWS_REGION", "AWS_DEFAULT_REGION" })
            {
                string value = Env(variable);
                if (value != null)
                {
                    source = "environment variable " + variable;
                    return SessionInput.ParseRegion(value, "environment variable " + variable);
                }
            }

            if (InstanceMetadataAllowed())
            {
                string imds = Bounded(() => InstanceMetadataRegionProvider != null
                    ? InstanceMetadataRegionProvider()
                    : EC2InstanceMetadata.Region?.SystemName);
                if (!string.IsNullOrEmpty(imds) && IsValidRegionName(imds))
                {
                    source = "instance metadata";
                    return imds;
                }
            }

            throw new AmiShareException(
                ErrorIds.NoRegion,
                AmiShareErrorKind.InvalidOperation,
                NoRegionMessage,
                null,
                "Pass -Region (for example -Region us-east-1), run Set-DefaultAWSRegion, set AWS_REGION, or add a region to the 'default' profile in ~/.aws/config.");
        }

        /// <summary>A string, or an object with a string Region / SystemName property (AWSRegion, RegionEndpoint).</summary>
        private static string RegionFromObject(object value, string origin, bool required)
        {
            string text = value as string;
            if (text == null)
            {
                foreach (string name in new[] { "Region", "SystemName" })
                {
                    PropertyInfo prop = value.GetType().GetProperty(name, BindingFlags.Instance | BindingFlags.Public);
                    if (prop != null && prop.PropertyType == typeof(string) && prop.GetIndexParameters().Length == 0)
                    {
                        text = (string)prop.GetValue(value);
                        break;
                    }
                }

                if (text == null)
                {
                    throw new AmiShareException(
                        ErrorIds.InvalidRegion,
                        AmiShareErrorKind.InvalidArgument,
                        $"The value of {origin}, of type '{value.GetType().FullName}', is not a region.",
                        value,
                        "Give a region system name such as us-east-1, or an object with a Region or SystemName property (Get-AWSRegion output).");
                }
            }

            if (string.IsNullOrWhiteSpace(text) && !required)
            {
                return null;
            }

            return SessionInput.ParseRegion(text, origin);
        }
    }
}
