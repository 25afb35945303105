using System;
using System.Collections.Generic;
using System.Net;

namespace AmiShare.Engine.Aws
{
    /// <summary>
    /// An HTTP proxy for every AWS call, as AWS.Tools keeps it in $AWSProxy (Set-AWSProxy): host, port,
    /// optional credentials, a bypass list of regular expressions, and whether local addresses bypass it.
    /// </summary>
    public sealed class ProxySettings
    {
        public string Hostname { get; set; }

        public int Port { get; set; }

        public ICredentials Credentials { get; set; }

        public IReadOnlyList<string> BypassList { get; set; } = new string[0];

        public bool BypassOnLocal { get; set; }

        /// <summary>The proxy as .NET uses it; null when no host is set.</summary>
        public IWebProxy ToWebProxy()
        {
            if (string.IsNullOrWhiteSpace(Hostname))
            {
                return null;
            }

            string host = Hostname.Contains("://") ? Hostname : "http://" + Hostname;
            var builder = new UriBuilder(host);
            if (Port > 0)
            {
                builder.Port = Port;
            }

            return new WebProxy(builder.Uri, BypassOnLocal, ToArray(BypassList), Credentials);
        }

        /// <summary>A text that is equal for equal settings (credentials by identity; never printed).</summary>
        internal string Key => Hostname + ":" + Port + "|" + BypassOnLocal + "|" + string.Join(",", BypassList ?? new string[0]) + "|" +
            (Credentials == null ? string.Empty : System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(Credentials).ToString());

        private static string[] ToArray(IReadOnlyList<string> list)
        {
            var result = new string[list?.Count ?? 0];
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = list[i];
            }

            return result;
        }
    }
}
