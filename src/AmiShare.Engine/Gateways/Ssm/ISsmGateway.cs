using System;
using System.Threading;
using System.Threading.Tasks;

namespace AmiShare.Engine.Gateways
{
    /// <summary>The only code that calls SSM Parameter Store (AWSSDK.SimpleSystemsManagement). One method, one API call.</summary>
    public interface ISsmGateway : IDisposable
    {
        /// <summary>The region this gateway calls.</summary>
        string Region { get; }

        /// <summary>GetParameter: the parameter's value, or null when it does not exist (ParameterNotFound).</summary>
        Task<string> GetParameterValueAsync(string name, CancellationToken cancellationToken);

        /// <summary>PutParameter Type=String, DataType=aws:ec2:image, Overwrite=true: the parameter holds <paramref name="imageId"/>.</summary>
        Task PutImageParameterAsync(string name, string imageId, CancellationToken cancellationToken);
    }
}
