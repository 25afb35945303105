using System.Collections.Generic;
using System.Management.Automation;
using AmiShare.Engine.Aws;

namespace AmiShare.Commands
{
    /// <summary>
    /// Reads what AWS.Tools keeps in the PowerShell session: $StoredAWSCredentials (Set-AWSCredential), $StoredAWSRegion
    /// (Set-DefaultAWSRegion) and $AWSProxy (Set-AWSProxy), by name and property, so AWS.Tools.Common need not be loaded or
    /// share our AWSSDK copy.
    /// </summary>
    internal static class StoredAwsSettings
    {
        /// <summary>Fills the stored parts of <paramref name="parameters"/> from <paramref name="variables"/>.</summary>
        public static SessionParameters AddTo(SessionParameters parameters, PSVariableIntrinsics variables)
        {
            parameters.StoredCredentials = Unwrap(variables.GetValue("StoredAWSCredentials"));
            parameters.StoredRegion = Unwrap(variables.GetValue("StoredAWSRegion"));
            parameters.Proxy = ReadProxy(variables.GetValue("AWSProxy"));
            return parameters;
        }

        /// <summary>The object behind a PSObject wrapper.</summary>
        public static object Unwrap(object value) => value is PSObject pso ? pso.BaseObject : value;

        /// <summary>
        /// Reads $AWSProxy (AWS.Tools' ProxySettings, or any object with the same public properties) by property name.
        /// </summary>
        internal static ProxySettings ReadProxy(object value)
        {
            if (value == null)
            {
                return null;
            }

            PSObject proxy = PSObject.AsPSObject(value);
            string host = proxy.Properties["Hostname"]?.Value as string;
            if (string.IsNullOrWhiteSpace(host))
            {
                return null;
            }

            var bypass = new List<string>();
            if (Unwrap(proxy.Properties["BypassList"]?.Value) is System.Collections.IEnumerable list && !(list is string))
            {
                foreach (object item in list)
                {
                    if (item != null)
                    {
                        bypass.Add(Unwrap(item).ToString());
                    }
                }
            }

            return new ProxySettings
            {
                Hostname = host,
                Port = LanguagePrimitives.ConvertTo<int>(Unwrap(proxy.Properties["Port"]?.Value) ?? 0),
                Credentials = Unwrap(proxy.Properties["Credentials"]?.Value) as System.Net.ICredentials,
                BypassList = bypass,
                BypassOnLocal = LanguagePrimitives.IsTrue(Unwrap(proxy.Properties["BypassOnLocal"]?.Value)),
            };
        }
    }
}
