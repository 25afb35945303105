using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Aws;

namespace AmiShare.Engine.Gateways
{
    /// <summary>
    /// IOrganizationsGateway over a small AWS JSON 1.1 client (<see cref="OrganizationsJsonClient"/>: signing with
    /// AWSSDK.Core's SigV4 signer, HTTP, retries, error answers). AWSSDK.Organizations is not served by this project's
    /// package source (design.md §2), so this client stands in for it behind <see cref="IOrganizationsGateway"/> and can
    /// be swapped for the SDK client with no other change. This class turns operations into requests and answers into
    /// the gateway's types; the transport speaks wire-spec.md §5.
    /// </summary>
    public sealed class OrganizationsGateway : IOrganizationsGateway
    {
        private readonly OrganizationsJsonClient _client;

        /// <summary>Creates a gateway calling Organizations with the session's credentials, partition, endpoint and proxy.</summary>
        /// <param name="session">The resolved AWS session.</param>
        /// <param name="reporter">Where the verbose and debug lines of each call go; null writes nowhere.</param>
        public OrganizationsGateway(AwsSession session, IShareReporter reporter)
            : this(session, reporter, null)
        {
        }

        /// <summary>A gateway over <paramref name="handler"/> (tests); null = a default HttpClientHandler.</summary>
        internal OrganizationsGateway(AwsSession session, IShareReporter reporter, HttpMessageHandler handler)
        {
            _client = new OrganizationsJsonClient(session, reporter, handler);
        }

        /// <summary>The SigV4 region requests are signed for (the partition's Organizations region).</summary>
        public string SigningRegion => _client.SigningRegion;

        /// <summary>The URL requests go to.</summary>
        public string Endpoint => _client.Endpoint;

        /// <summary>Base delay before a retry; doubled per attempt (tests set it to zero).</summary>
        internal TimeSpan RetryDelay
        {
            get => _client.RetryDelay;
            set => _client.RetryDelay = value;
        }

        /// <summary>The signing time source (tests pin it).</summary>
        internal Func<DateTime> Clock
        {
            get => _client.Clock;
            set => _client.Clock = value;
        }

        /// <inheritdoc/>
        public async Task<OrganizationInfo> DescribeOrganizationAsync(CancellationToken cancellationToken)
        {
            using (JsonDocument doc = await _client.CallAsync("DescribeOrganization", null, new Dictionary<string, object>(), cancellationToken).ConfigureAwait(false))
            {
                JsonElement org = Member(doc.RootElement, "Organization");
                return new OrganizationInfo
                {
                    Id = Text(org, "Id"),
                    Arn = Text(org, "Arn"),
                    ManagementAccountId = Text(org, "MasterAccountId"),
                };
            }
        }

        /// <inheritdoc/>
        public async Task<OrganizationalUnitInfo> DescribeOrganizationalUnitAsync(string ouId, CancellationToken cancellationToken)
        {
            var body = new Dictionary<string, object> { ["OrganizationalUnitId"] = ouId };
            using (JsonDocument doc = await _client.CallAsync("DescribeOrganizationalUnit", ouId, body, cancellationToken).ConfigureAwait(false))
            {
                JsonElement ou = Member(doc.RootElement, "OrganizationalUnit");
                return new OrganizationalUnitInfo { Id = Text(ou, "Id"), Arn = Text(ou, "Arn"), Name = Text(ou, "Name") };
            }
        }

        /// <inheritdoc/>
        public async Task<IReadOnlyList<OrganizationParent>> ListParentsAsync(string childId, CancellationToken cancellationToken)
        {
            var parents = new List<OrganizationParent>();
            await _client.PageAsync("ListParents", childId, new Dictionary<string, object> { ["ChildId"] = childId }, "Parents", item =>
                parents.Add(new OrganizationParent { Id = Text(item, "Id"), Type = Text(item, "Type") }), cancellationToken).ConfigureAwait(false);
            return parents;
        }

        /// <summary>ListRoots: the root ids of the organization (one in practice). Management account or delegated administrator only.</summary>
        /// <param name="cancellationToken">Cancels the calls.</param>
        public async Task<IReadOnlyList<string>> ListRootsAsync(CancellationToken cancellationToken)
        {
            var roots = new List<string>();
            await _client.PageAsync("ListRoots", null, new Dictionary<string, object>(), "Roots", item => roots.Add(Text(item, "Id")), cancellationToken).ConfigureAwait(false);
            return roots;
        }

        /// <summary>DescribeAccount: the account's name and organization ARN (proves membership). Management account or delegated administrator only.</summary>
        /// <param name="accountId">The 12-digit account id.</param>
        /// <param name="cancellationToken">Cancels the call.</param>
        public async Task<(string Id, string Arn, string Name)> DescribeAccountAsync(string accountId, CancellationToken cancellationToken)
        {
            var body = new Dictionary<string, object> { ["AccountId"] = accountId };
            using (JsonDocument doc = await _client.CallAsync("DescribeAccount", accountId, body, cancellationToken).ConfigureAwait(false))
            {
                JsonElement account = Member(doc.RootElement, "Account");
                return (Text(account, "Id"), Text(account, "Arn"), Text(account, "Name"));
            }
        }

        /// <summary>Disposes the HTTP client.</summary>
        public void Dispose() => _client.Dispose();





        private static JsonElement Member(JsonElement element, string name) => OrganizationsJsonClient.Member(element, name);

        private static string Text(JsonElement element, string name) => OrganizationsJsonClient.Text(element, name);
    }
}
