using System;
using System.Collections.Generic;
using AmiShare.Engine.Aws;

namespace AmiShare.Engine.Sharing
{
    /// <summary>
    /// Builds <see cref="AmiShareService"/>s (and their SDK clients) for resolved sessions, one per
    /// distinct <see cref="AwsSession.CacheKey"/>; a cmdlet keeps one factory for its lifetime.
    /// </summary>
    public sealed class AmiShareServiceFactory : IDisposable
    {
        private readonly IShareReporter _reporter;
        private readonly Dictionary<string, AmiShareService> _services = new Dictionary<string, AmiShareService>(StringComparer.Ordinal);

        public AmiShareServiceFactory(IShareReporter reporter)
        {
            _reporter = reporter ?? NullShareReporter.Instance;
        }

        public AmiShareService For(AwsSession session) => throw new NotImplementedException();

        public void Dispose()
        {
            foreach (var s in _services.Values)
            {
                s.Dispose();
            }

            _services.Clear();
        }
    }
}
