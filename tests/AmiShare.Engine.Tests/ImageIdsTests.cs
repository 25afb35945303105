using AmiShare.Engine;
using AmiShare.Engine.Sharing;
using Xunit;

namespace AmiShare.Engine.Tests;

public class ImageIdsTests
{
    [Theory]
    [InlineData("ami-12345678", "ami-12345678")]
    [InlineData("ami-0a1b2c3d4e5f60001", "ami-0a1b2c3d4e5f60001")]
    [InlineData("  ami-0a1b2c3d4e5f60001\t", "ami-0a1b2c3d4e5f60001")]
    public void Normalize_ValidIds_ReturnsTrimmed(string input, string expected)
    {
        Assert.Equal(expected, ImageIds.Normalize(input));
    }

    [Theory]
    [InlineData("ami-1234567")]
    [InlineData("ami-123456789")]
    [InlineData("ami-0A1B2C3D4E5F60001")]
    [InlineData("AMI-12345678")]
    [InlineData("snap-12345678")]
    [InlineData("ami-1234567g")]
    [InlineData("ami-")]
    [InlineData("")]
    [InlineData("  ")]
    public void Normalize_InvalidIds_ThrowsInvalidImageId(string input)
    {
        var e = Assert.Throws<AmiShareException>(() => ImageIds.Normalize(input));
        Assert.Equal(ErrorIds.InvalidImageId, e.ErrorId);
        Assert.Equal(AmiShareErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("8 or 17 lower-case hexadecimal digits", e.Message);
    }

    [Fact]
    public void Normalize_Null_SaysNull()
    {
        var e = Assert.Throws<AmiShareException>(() => ImageIds.Normalize(null!));
        Assert.Contains("<null>", e.Message);
    }
}
