namespace AmiShare.Engine.Gateways
{
    /// <summary>
    /// What an error catalogue row may quote: the failed call (service, operation, region), what it was about, and the
    /// service's error code, HTTP status and own words.
    /// </summary>
    internal sealed class AwsErrorContext
    {
        /// <summary>Gets or sets the service as messages name it: "EC2", "KMS", "STS" or "Organizations".</summary>
        public string Service { get; set; }

        /// <summary>Gets or sets the API operation, e.g. ModifyImageAttribute.</summary>
        public string Operation { get; set; }

        /// <summary>Gets or sets the AWS error code (after any namespace), or null.</summary>
        public string Code { get; set; }

        /// <summary>Gets or sets the HTTP status of the answer (0 when there was none).</summary>
        public int Status { get; set; }

        /// <summary>Gets or sets the service's own words as messages quote them (EC2/KMS: the error message; Organizations: "Code: text").</summary>
        public string Text { get; set; }

        /// <summary>Gets or sets the id the call was about (AMI id, key ARN, account or OU id), or null.</summary>
        public string Subject { get; set; }

        /// <summary>Gets or sets how messages name the subject: the id, or "the AMI" / "the KMS key" when there is none.</summary>
        public string SubjectName { get; set; }

        /// <summary>Gets or sets the region called.</summary>
        public string Region { get; set; }

        /// <summary>Gets or sets the error's target object (usually <see cref="Subject"/>).</summary>
        public object Target { get; set; }

        /// <summary>Gets or sets the account's count of public AMIs in the region when it was read after EC2 refused, or null.</summary>
        public int? PublicCount { get; set; }

        /// <summary>Gets " for &lt;subject&gt;", or an empty string when the call was about nothing in particular.</summary>
        public string For => Subject == null ? string.Empty : " for " + Subject;

        /// <summary>Gets " (EC2: &lt;text without its final period&gt;)", or an empty string when EC2 said nothing.</summary>
        public string Ec2Detail => string.IsNullOrEmpty(Text) ? string.Empty : " (EC2: " + Text.TrimEnd('.') + ")";

        /// <summary>Gets a value indicating whether the answer was a server-side (5xx) error.</summary>
        public bool IsServerError => Status >= 500;

        /// <summary>Whether <see cref="Text"/> contains <paramref name="value"/>, ignoring case.</summary>
        /// <param name="value">The words to look for.</param>
        public bool Says(string value) => Text != null && Text.IndexOf(value, System.StringComparison.OrdinalIgnoreCase) >= 0;
    }
}
