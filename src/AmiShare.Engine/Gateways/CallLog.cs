namespace AmiShare.Engine.Gateways
{
    /// <summary>
    /// The one formatter of the verbose line every gateway writes before each AWS call, worded as AWS.Tools words it:
    /// "Invoking &lt;service&gt; &lt;operation&gt;[ for &lt;target&gt;][ in region '&lt;region&gt;'][ on endpoint '&lt;endpoint&gt;']".
    /// It names what is called and where, never a secret.
    /// </summary>
    internal static class CallLog
    {
        /// <summary>
        /// The verbose line for one call, e.g. "Invoking EC2 ModifyImageAttribute for ami-… in region 'us-east-1'" or
        /// "Invoking Organizations ListParents for 111122223333 on endpoint 'https://organizations.us-east-1.amazonaws.com'".
        /// </summary>
        /// <param name="service">The service as the line names it: "EC2", "KMS", "STS" or "Organizations".</param>
        /// <param name="operation">The API operation, e.g. ModifyImageAttribute.</param>
        /// <param name="target">What the call is about (an AMI id, key ARN, account or OU id), or null.</param>
        /// <param name="region">The region called, or null for a global service called by its endpoint (Organizations).</param>
        /// <param name="endpoint">The endpoint URL, or null when the SDK chooses it from the region.</param>
        public static string Describe(string service, string operation, string target, string region, string endpoint)
        {
            string text = "Invoking " + Subject(service, operation, target);
            if (region != null)
            {
                text += " in region '" + region + "'";
            }

            return endpoint != null ? text + " on endpoint '" + endpoint + "'" : text;
        }

        /// <summary>The call's subject as retry and failure lines name it: "&lt;service&gt; &lt;operation&gt;[ for &lt;target&gt;]".</summary>
        /// <param name="service">The service, e.g. "EC2".</param>
        /// <param name="operation">The API operation.</param>
        /// <param name="target">What the call is about, or null.</param>
        public static string Subject(string service, string operation, string target) =>
            service + " " + operation + (target != null ? " for " + target : string.Empty);
    }
}
