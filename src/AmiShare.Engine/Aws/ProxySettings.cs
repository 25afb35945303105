using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;

namespace AmiShare.Engine.Aws
{
    /// <summary>
    /// An HTTP proxy for every AWS call, as AWS.Tools keeps it in $AWSProxy (Set-AWSProxy): host, port,
    /// optional credentials, a bypass list of regular expressions, and whether local addresses bypass it.
    /// </summary>
    public sealed class ProxySettings
    {
        /// <summary>The proxy host, with or without a scheme (http:// is assumed); empty means no proxy.</summary>
        public string Hostname { get; set; }

        /// <summary>The proxy port; 0 keeps the scheme's default.</summary>
        public int Port { get; set; }

        /// <summary>Credentials for the proxy, or null.</summary>
        public ICredentials Credentials { get; set; }

        /// <summary>Regular expressions of addresses that go direct, not through the proxy.</summary>
        public IReadOnlyList<string> BypassList { get; set; } = Array.Empty<string>();

        /// <summary>Whether local addresses go direct.</summary>
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
        internal string Key => Hostname + ":" + Port + "|" + BypassOnLocal + "|" + string.Join(",", BypassList ?? Array.Empty<string>()) + "|" +
            (Credentials == null ? string.Empty : System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(Credentials).ToString(CultureInfo.InvariantCulture));

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
