using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Amazon.EC2;
using Amazon.EC2.Model;

namespace AmiShare.Engine.Gateways
{
    /// <summary>Ec2Gateway: snapshots (createVolumePermission, encrypted snapshots).</summary>
    public sealed partial class Ec2Gateway
    {
        /// <inheritdoc />
        public async Task<IReadOnlyList<SnapshotInfo>> DescribeSnapshotsAsync(IReadOnlyList<string> snapshotIds, CancellationToken cancellationToken)
        {
            if (snapshotIds == null || snapshotIds.Count == 0)
            {
                return new List<SnapshotInfo>();
            }

            return await DescribeSnapshotPagesAsync(
                next => new DescribeSnapshotsRequest { SnapshotIds = new List<string>(snapshotIds), NextToken = next },
                string.Join(", ", snapshotIds),
                cancellationToken).ConfigureAwait(false);
        }

        /// <inheritdoc />
        public async Task<IReadOnlyList<string>> GetCreateVolumePermissionsAsync(string snapshotId, CancellationToken cancellationToken)
        {
            var request = new DescribeSnapshotAttributeRequest { SnapshotId = snapshotId, Attribute = SnapshotAttributeName.CreateVolumePermission };
            DescribeSnapshotAttributeResponse response = await Call("DescribeSnapshotAttribute", snapshotId, ct => _client.DescribeSnapshotAttributeAsync(request, ct), cancellationToken).ConfigureAwait(false);
            var result = new List<string>();
            if (response.CreateVolumePermissions != null)
            {
                foreach (CreateVolumePermission item in response.CreateVolumePermissions)
                {
                    string value = !string.IsNullOrEmpty(item.UserId) ? item.UserId : item.Group?.Value;
                    if (!string.IsNullOrEmpty(value) && !result.Contains(value))
                    {
                        result.Add(value);
                    }
                }
            }

            return result;
        }

        /// <inheritdoc />
        public async Task ModifyCreateVolumePermissionsAsync(string snapshotId, IReadOnlyList<string> addAccounts, IReadOnlyList<string> removeAccounts, CancellationToken cancellationToken)
        {
            int adds = addAccounts?.Count ?? 0;
            int removes = removeAccounts?.Count ?? 0;
            if (adds > 0 && removes > 0)
            {
                throw new ArgumentException("EC2 cannot add and remove createVolumePermission in one ModifySnapshotAttribute call; make two calls.");
            }

            if (adds + removes == 0)
            {
                throw new ArgumentException("ModifyCreateVolumePermissionsAsync needs at least one account to add or remove.");
            }

            if (adds + removes > Ec2Limits.MaxSnapshotPermissionChangesPerCall)
            {
                throw new ArgumentException($"ModifySnapshotAttribute takes at most {Ec2Limits.MaxSnapshotPermissionChangesPerCall} changes per call; split the list.");
            }

            var modifications = new CreateVolumePermissionModifications();
            var items = new List<CreateVolumePermission>();
            foreach (string account in adds > 0 ? addAccounts : removeAccounts)
            {
                // "all" is the group all (a public snapshot), as GetCreateVolumePermissionsAsync reports it.
                items.Add(account == "all" ? new CreateVolumePermission { Group = PermissionGroup.All } : new CreateVolumePermission { UserId = account });
            }

            if (adds > 0)
            {
                modifications.Add = items;
            }
            else
            {
                modifications.Remove = items;
            }

            var request = new ModifySnapshotAttributeRequest
            {
                SnapshotId = snapshotId,
                Attribute = SnapshotAttributeName.CreateVolumePermission,
                CreateVolumePermission = modifications,
            };
            await _calls.InvokeWriteAsync(
                "ModifySnapshotAttribute",
                snapshotId,
                ct => _client.ModifySnapshotAttributeAsync(request, ct),
                async ct =>
                {
                    var now = new HashSet<string>(await GetCreateVolumePermissionsAsync(snapshotId, ct).ConfigureAwait(false));
                    foreach (CreateVolumePermission item in items)
                    {
                        if (now.Contains(item.UserId ?? item.Group?.Value) != (adds > 0))
                        {
                            return false;
                        }
                    }

                    return true;
                },
                cancellationToken).ConfigureAwait(false);
        }

        /// <inheritdoc />
        public Task<IReadOnlyList<SnapshotInfo>> DescribeOwnedEncryptedSnapshotsAsync(CancellationToken cancellationToken) =>
            DescribeSnapshotPagesAsync(
                next => new DescribeSnapshotsRequest
                {
                    OwnerIds = new List<string> { "self" },
                    Filters = new List<Filter> { new Filter("encrypted", new List<string> { "true" }) },
                    MaxResults = 1000,
                    NextToken = next,
                },
                "Owner=self encrypted=true",
                cancellationToken);

        /// <summary>Every page of a DescribeSnapshots request (built for each page's token), as SnapshotInfo.</summary>
        private async Task<IReadOnlyList<SnapshotInfo>> DescribeSnapshotPagesAsync(Func<string, DescribeSnapshotsRequest> page, string target, CancellationToken cancellationToken)
        {
            var result = new List<SnapshotInfo>();
            string next = null;
            do
            {
                DescribeSnapshotsRequest request = page(next);
                DescribeSnapshotsResponse response = await Call("DescribeSnapshots", target, ct => _client.DescribeSnapshotsAsync(request, ct), cancellationToken).ConfigureAwait(false);
                if (response.Snapshots != null)
                {
                    foreach (Snapshot snapshot in response.Snapshots)
                    {
                        result.Add(new SnapshotInfo
                        {
                            SnapshotId = snapshot.SnapshotId,
                            OwnerId = snapshot.OwnerId,
                            State = snapshot.State?.Value,
                            Encrypted = snapshot.Encrypted ?? false,
                            KmsKeyId = string.IsNullOrEmpty(snapshot.KmsKeyId) ? null : snapshot.KmsKeyId,
                        });
                    }
                }

                next = string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken;
            }
            while (next != null);

            return result;
        }
    }
}
