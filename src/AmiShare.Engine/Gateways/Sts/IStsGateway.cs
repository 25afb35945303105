using System;
using System.Threading;
using System.Threading.Tasks;

namespace AmiShare.Engine.Gateways
{
    /// <summary>STS: who the caller is.</summary>
    public interface IStsGateway : IDisposable
    {
        /// <summary>GetCallerIdentity → the 12-digit account id.</summary>
        Task<string> GetCallerAccountAsync(CancellationToken cancellationToken);
    }
}
